using System.Net.Sockets;
using Npgsql;

namespace Reelgate.Data;

/// <summary>
/// Tells "PostgreSQL cannot be reached right now" (refused, dropped, timed out, shutting down or starting up, the
/// pool exhausted, the server out of connections) from every other database error, which stays a bug and answers 500.
/// </summary>
public static class DatabaseOutage
{
    public static bool Is(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException postgres) return IsUnavailableState(postgres.SqlState);
            if (e is NpgsqlException { InnerException: SocketException or IOException or TimeoutException }) return true;
        }
        return false;
    }

    /// <summary>Class 08 (connection exception), the server going down or not yet up (57P01 to 57P03), or out of connections (53300).</summary>
    private static bool IsUnavailableState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState is "57P01" or "57P02" or "57P03" or "53300";
}

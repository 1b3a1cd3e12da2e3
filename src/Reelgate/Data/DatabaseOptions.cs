using Npgsql;
using Reelgate.Common;

namespace Reelgate.Data;

public static class DatabaseOptions
{
    /// <summary>Reads DATABASE_URL (postgres:// URL or keyword string), else ConnectionStrings:Default.</summary>
    public static string ConnectionString(IConfiguration configuration)
    {
        var raw = configuration["DATABASE_URL"] ?? configuration.GetConnectionString("Default");
        if (string.IsNullOrWhiteSpace(raw))
        {
            throw new ConfigurationException("No database is configured: set DATABASE_URL to postgres://user:password@host:port/database (or ConnectionStrings:Default).");
        }
        try
        {
            return raw.StartsWith("postgres://", StringComparison.Ordinal) || raw.StartsWith("postgresql://", StringComparison.Ordinal)
                ? FromUrl(new Uri(raw))
                : Checked(raw);
        }
        catch (Exception ex) when (ex is UriFormatException or ArgumentException or FormatException)
        {
            // The value itself is not repeated: it holds the password.
            throw new ConfigurationException(
                $"DATABASE_URL is neither a postgres://user:password@host:port/database URL nor an Npgsql connection string ({ex.GetType().Name}).", ex);
        }
    }

    private static string Checked(string connectionString)
    {
        _ = new NpgsqlConnectionStringBuilder(connectionString);
        return connectionString;
    }

    private static string FromUrl(Uri url)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = url.Host,
            Port = url.Port > 0 ? url.Port : 5432,
            Database = url.AbsolutePath.TrimStart('/'),
        };
        var userInfo = url.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0) builder.Username = Uri.UnescapeDataString(userInfo[0]);
        if (userInfo.Length > 1) builder.Password = Uri.UnescapeDataString(userInfo[1]);
        foreach (var pair in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            builder[Uri.UnescapeDataString(parts[0])] = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
        }
        return builder.ConnectionString;
    }
}

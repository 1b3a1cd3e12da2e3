using System.Security.Cryptography;
using System.Text;
using Reelgate.Common;

namespace Reelgate.Providers;

/// <summary>Per-job secrets in callback URLs: only a keyed hash is stored, and checks compare in constant time.</summary>
public static class CallbackTokens
{
    public static string Create() => Tokens.RandomBase62(32);

    public static byte[] Hash(string token, string key) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes("reelgate-callback:" + key), Encoding.UTF8.GetBytes(token));

    public static bool Matches(string? token, byte[]? storedHash, string key) =>
        token is { Length: > 0 } && storedHash is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Hash(token, key), storedHash);
}

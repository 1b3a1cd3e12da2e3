using System.Security.Cryptography;
using System.Text;
using Reelgate.Common;

namespace Reelgate.ApiKeys;

/// <summary>Keys are rg_live_/rg_test_ + 32 base62 characters; only their SHA-256 and a display prefix are stored.</summary>
public static class ApiKeyFormat
{
    public const int PrefixLength = 12;
    private const int RandomLength = 32;

    public static string Generate(bool test = false) => (test ? "rg_test_" : "rg_live_") + Tokens.RandomBase62(RandomLength);

    public static bool LooksValid(string key)
    {
        if (key.Length != 8 + RandomLength) return false;
        if (!key.StartsWith("rg_live_", StringComparison.Ordinal) && !key.StartsWith("rg_test_", StringComparison.Ordinal)) return false;
        foreach (var c in key.AsSpan(8))
        {
            if (!char.IsAsciiLetterOrDigit(c)) return false;
        }
        return true;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static string Prefix(string key) => key[..PrefixLength];
}

using System.Security.Cryptography;

namespace Reelgate.Common;

public static class Tokens
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string Base32 = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string RandomBase62(int length) => RandomNumberGenerator.GetString(Base62, length);

    /// <summary>Unambiguous upper-case letters and digits, for codes people type.</summary>
    public static string RandomCode(int length) => RandomNumberGenerator.GetString(Base32, length);
}

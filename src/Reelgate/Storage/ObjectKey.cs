namespace Reelgate.Storage;

/// <summary>
/// Object keys are slash-separated segments of [A-Za-z0-9._-], each starting with a letter or digit: no leading slash,
/// no empty, <c>.</c> or <c>..</c> segments, no hidden names. The same key is then safe as a file path and in a URL.
/// </summary>
public static class ObjectKey
{
    public const int MaxLength = 1024;

    public static bool IsValid(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaxLength)
        {
            return false;
        }
        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || !char.IsAsciiLetterOrDigit(segment[0]))
            {
                return false;
            }
            foreach (var character in segment)
            {
                if (!char.IsAsciiLetterOrDigit(character) && character is not ('.' or '_' or '-'))
                {
                    return false;
                }
            }
        }
        return true;
    }

    /// <exception cref="ArgumentException">The key breaks the rules above.</exception>
    public static void Validate(string key)
    {
        if (!IsValid(key))
        {
            throw new ArgumentException($"'{key}' is not a valid object key: use slash-separated segments of letters, digits, '.', '_' and '-' that start with a letter or digit.", nameof(key));
        }
    }
}

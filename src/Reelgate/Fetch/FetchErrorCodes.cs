namespace Reelgate.Fetch;

public static class FetchErrorCodes
{
    public const string BadScheme = "bad-scheme";
    public const string BadUrl = "bad-url";
    public const string BlockedAddress = "blocked-address";
    public const string TooLarge = "too-large";
    public const string Timeout = "timeout";
    public const string HttpStatus = "http-status";
    public const string Unreachable = "unreachable";
    public const string TooManyRedirects = "too-many-redirects";
    public const string UnsupportedContent = "unsupported-content";
}

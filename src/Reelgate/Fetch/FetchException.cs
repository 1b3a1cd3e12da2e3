namespace Reelgate.Fetch;

/// <summary>A download that Reelgate refused or could not complete; <see cref="Code"/> is one of <see cref="FetchErrorCodes"/>.</summary>
public sealed class FetchException : Exception
{
    public FetchException(string code, string message, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        StatusCode = statusCode;
    }

    public string Code { get; }

    /// <summary>The upstream HTTP status when <see cref="Code"/> is <c>http-status</c>.</summary>
    public int? StatusCode { get; }
}

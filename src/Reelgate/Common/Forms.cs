namespace Reelgate.Common;

/// <summary>Reading a form body by hand: what parameter binding would answer 400 to must not become a 500.</summary>
public static class Forms
{
    /// <summary>The form (null if the body is not one), or why a form body could not be read: bad framing or a form limit passed.</summary>
    public static async Task<(IFormCollection? Form, string? Malformed)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType) return (null, null);
        try
        {
            return (await request.ReadFormAsync(ct), null);
        }
        // Kestrel's BadHttpRequestException is an IOException with its own status (413 among them); the exception handler answers it.
        catch (Exception ex) when (ex is InvalidDataException || ex is IOException and not BadHttpRequestException)
        {
            return (null, ex.Message);
        }
    }
}

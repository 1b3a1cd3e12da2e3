using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Net.Http.Headers;

namespace Reelgate.Common;

public static partial class RequestPipeline
{
    public const string RequestIdHeader = "X-Request-Id";

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex SafeId();

    /// <summary>Gives every request an id (the caller's if sane), echoes it, and scopes the logs with it.</summary>
    public static IApplicationBuilder UseRequestId(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var incoming = context.Request.Headers[RequestIdHeader].ToString();
            var id = SafeId().IsMatch(incoming) ? incoming : context.TraceIdentifier;
            context.TraceIdentifier = id;
            context.Response.Headers[RequestIdHeader] = id;
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Reelgate.Requests");
            using (logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = id }))
            {
                await next(context);
            }
        });

    /// <summary>
    /// Refuses a body whose Content-Type names a charset no decoder here knows, before binding tries to read it
    /// (JSON binding would throw InvalidOperationException, answered as a 500).
    /// </summary>
    public static IApplicationBuilder UseKnownCharset(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
                && HeaderUtilities.RemoveQuotes(mediaType.Charset) is { Length: > 0 } charset && !IsKnownCharset(charset.Value!))
            {
                await ProblemWriter.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "unsupported-charset", "Unsupported charset.",
                    $"The body's charset '{charset}' is not one Reelgate can decode; send UTF-8.");
                return;
            }
            await next(context);
        });

    private static bool IsKnownCharset(string name)
    {
        try
        {
            Encoding.GetEncoding(name);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Refuses declared bodies over the limit before anything reads them (Kestrel enforces the rest).</summary>
    public static IApplicationBuilder UseBodySizeLimit(this IApplicationBuilder app, long maxBytes) =>
        app.Use(async (context, next) =>
        {
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? maxBytes;
            if (context.Request.ContentLength > limit)
            {
                await ProblemWriter.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "body-too-large", "Request body too large.",
                    $"The body may be at most {limit} bytes.");
                return;
            }
            await next(context);
        });
}

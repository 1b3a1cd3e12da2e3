using System.Security.Cryptography;
using System.Text;
using Reelgate.Common;

namespace Reelgate.Idempotency;

/// <summary>
/// Honours Idempotency-Key on create endpoints: the same key and body replay the first response, another body
/// answers 422, a retry while the first is running answers 409. Server errors free the key for a retry.
/// </summary>
public sealed class IdempotencyFilter(IdempotencyStore store, ILogger<IdempotencyFilter> logger) : IEndpointFilter
{
    public const string Header = "Idempotency-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(Header, out var values) || http.User.Identity?.IsAuthenticated != true)
        {
            return await next(context);
        }
        var key = values.ToString();
        if (key.Length is < 1 or > 255)
        {
            return Problems.Validation(Header, "must be 1 to 255 characters.");
        }

        var userId = http.User.UserId();
        var hash = await HashRequestAsync(http.Request);
        var existing = await store.TryBeginAsync(userId, key, hash, http.RequestAborted);
        if (existing is not null) return Replay(existing, hash, http);

        var originalBody = http.Response.Body;
        await using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        int status;
        try
        {
            var result = await next(context);
            if (result is IResult executable) await executable.ExecuteAsync(http);
            else if (result is not null) await TypedResults.Ok(result).ExecuteAsync(http);
            status = http.Response.StatusCode;
        }
        catch
        {
            http.Response.Body = originalBody;
            await store.AbandonAsync(userId, key);
            throw;
        }
        http.Response.Body = originalBody;

        if (status >= 500 || status is StatusCodes.Status409Conflict or StatusCodes.Status429TooManyRequests)
        {
            await store.AbandonAsync(userId, key);
        }
        else
        {
            try
            {
                await store.CompleteAsync(userId, key, status, buffer.ToArray(), http.Response.ContentType, http.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Could not store the response for idempotency key on {Path}", http.Request.Path);
                await store.AbandonAsync(userId, key);
            }
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(originalBody, http.RequestAborted);
        return Results.Empty;
    }

    private static IResult Replay(IdempotencyRecord existing, byte[] hash, HttpContext http)
    {
        if (!CryptographicOperations.FixedTimeEquals(existing.RequestHash, hash))
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused", "Idempotency key reused.",
                "This Idempotency-Key was used with a different request body.");
        }
        if (!existing.Completed)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "idempotency-key-in-use", "Request in progress.",
                "A request with this Idempotency-Key is still being processed; retry shortly.");
        }
        http.Response.Headers["Idempotent-Replayed"] = "true";
        if (existing.ResponseLocation is not null) http.Response.Headers.Location = existing.ResponseLocation;
        return new ReplayedResponse(existing.ResponseStatus ?? StatusCodes.Status200OK, existing.ResponseType, existing.ResponseBody ?? []);
    }

    private static async Task<byte[]> HashRequestAsync(HttpRequest request)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk)) > 0) sha.AppendData(chunk, 0, read);
            request.Body.Position = 0;
        }
        return sha.GetHashAndReset();
    }
}

internal sealed class ReplayedResponse(int status, string? contentType, byte[] body) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        if (contentType is not null) httpContext.Response.ContentType = contentType;
        httpContext.Response.ContentLength = body.Length;
        await httpContext.Response.Body.WriteAsync(body);
    }
}

public static class IdempotencyExtensions
{
    public static RouteHandlerBuilder WithIdempotency(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<IdempotencyFilter>();

    /// <summary>Lets the filter re-read the body it hashes after model binding consumed it.</summary>
    public static IApplicationBuilder UseIdempotencyBuffering(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (HttpMethods.IsPost(context.Request.Method) && context.Request.Headers.ContainsKey(IdempotencyFilter.Header))
            {
                context.Request.EnableBuffering();
            }
            return next(context);
        });
}

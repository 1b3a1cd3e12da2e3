using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Reelgate.Common;

/// <summary>
/// Refuses, before any endpoint runs, a request whose query, form or JSON body holds text that cannot be stored
/// (<see cref="StorableText"/>), with 400 naming each field by its path. Checking every request here, once, means no
/// handler can carry such text to PostgreSQL or a JSON writer, and none needs a check of its own.
/// </summary>
public sealed class TextSafetyMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            await next(context);
            return;
        }
        var request = context.Request;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Check(request.Query, errors);
        if (HasBody(request))
        {
            if (CarriesJson(request, endpoint)) Add(JsonTextScanner.Scan(await BufferAsync(request)), errors);
            else if (IsUrlEncodedForm(request.ContentType)) Check(UrlEncodedFields(await BufferAsync(request)), errors);
            else if (request.HasFormContentType) Check(await ReadMultipartAsync(request), errors);
        }
        if (errors.Count == 0)
        {
            await next(context);
            return;
        }
        var refusal = endpoint.Metadata.GetMetadata<IValidationRefusal>()?.Refuse(errors) ?? Problems.Validation(errors);
        await refusal.ExecuteAsync(context);
    }

    private static void Check(IEnumerable<KeyValuePair<string, StringValues>> fields, Dictionary<string, string[]> errors)
    {
        foreach (var (name, values) in fields)
        {
            if (StorableText.Problem(name) is { } problem) errors.TryAdd(StorableText.Visible(name), ["is a field name that " + problem]);
            else if (values.Select(v => StorableText.Problem(v)).FirstOrDefault(p => p is not null) is { } message) errors.TryAdd(name, [message]);
        }
    }

    private static void Add(Dictionary<string, string[]> found, Dictionary<string, string[]> errors)
    {
        foreach (var (path, messages) in found)
        {
            errors.TryAdd(path, messages);
        }
    }

    /// <summary>Reads the body into memory (the body limit bounds it) and leaves the endpoint a seekable copy to read again.</summary>
    private static async Task<ArraySegment<byte>> BufferAsync(HttpRequest request)
    {
        var body = new MemoryStream(request.ContentLength is > 0 and <= int.MaxValue ? (int)request.ContentLength : 0);
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
        body.Position = 0;
        request.Body = body;
        request.HttpContext.Response.RegisterForDispose(body);
        return new ArraySegment<byte>(body.GetBuffer(), 0, (int)body.Length);
    }

    /// <summary>
    /// Decodes "a=1&amp;b=2" pair by pair. ASP.NET's own form reader refuses a decoded NUL without naming the field, so the
    /// form is read here first, leniently, to say which field it was.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, StringValues>> UrlEncodedFields(ArraySegment<byte> body)
    {
        foreach (var pair in Encoding.UTF8.GetString(body).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? "" : pair[(equals + 1)..];
            yield return new(Decode(name), Decode(value));
        }
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private static async Task<IFormCollection> ReadMultipartAsync(HttpRequest request)
    {
        request.EnableBuffering();
        try
        {
            return await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (Exception ex) when (ex is InvalidDataException || ex is IOException and not BadHttpRequestException)
        {
            // A malformed or truncated form is the endpoint's (or antiforgery's) to refuse, in the words it already uses:
            // it reads the body again from the start, with a fresh form reader.
            request.Body.Position = 0;
            request.HttpContext.Features.Set<Microsoft.AspNetCore.Http.Features.IFormFeature?>(null);
            return FormCollection.Empty;
        }
    }

    private static bool HasBody(HttpRequest request) =>
        !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && request.ContentLength != 0;

    /// <summary>A JSON content type, or an endpoint that reads its body as JSON whatever the content type says.</summary>
    private static bool CarriesJson(HttpRequest request, Endpoint endpoint) =>
        IsJson(request.ContentType) || endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.Any(IsJson) == true;

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));

    private static bool IsUrlEncodedForm(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Endpoint metadata for routes whose callers expect their own error shape instead of a validation problem.</summary>
public interface IValidationRefusal
{
    IResult Refuse(IDictionary<string, string[]> errors);
}

public static class TextSafetyExtensions
{
    /// <summary>Place after routing (to know the endpoint) and authentication, and before antiforgery reads any form.</summary>
    public static IApplicationBuilder UseTextSafety(this IApplicationBuilder app) => app.UseMiddleware<TextSafetyMiddleware>();
}

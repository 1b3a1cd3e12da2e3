using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reelgate.Shotstack;

/// <summary>Shotstack's response envelope: every Edit API answer, success or error, has this shape.</summary>
public sealed record ShotstackEnvelope<T>(bool Success, string Message, T Response);

public sealed record ShotstackQueued(string Message, Guid Id);

public sealed record ShotstackError(string Error);

/// <summary>
/// Shotstack's RenderResponseData with only the spec's fields; absent values are left out rather than sent as
/// null because the generated SDKs (Python in particular) reject nulls and unknown keys.
/// </summary>
public sealed record ShotstackRender(
    Guid Id,
    string Owner,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Plan,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Duration,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? RenderTime,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Poster,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Thumbnail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Data,
    DateTime Created,
    DateTime Updated);

/// <summary>The body POSTed to an Edit's callback URL; Shotstack sends `error` and `url` as null rather than omitting them.</summary>
public sealed record ShotstackCallbackPayload(
    string Type, string Action, Guid Id, string Owner, string Status, string? Url, string? Error, DateTime Completed);

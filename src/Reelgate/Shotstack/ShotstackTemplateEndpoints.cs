using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Reelgate.ApiKeys;
using Reelgate.Common;
using Reelgate.Idempotency;
using Reelgate.Jobs;
using Reelgate.Limits;

namespace Reelgate.Shotstack;

public sealed record ShotstackTemplateRequest(string? Name, JsonElement? Template);

public sealed record ShotstackTemplateRenderRequest(JsonElement? Id, JsonElement? Merge);

public sealed record ShotstackTemplateList(string Owner, IReadOnlyList<ShotstackTemplateListItem> Templates);

public sealed record ShotstackTemplateListItem(Guid Id, string Name, DateTime Created, DateTime Updated);

/// <summary>TemplateDataResponseData; a template saved without an Edit has no `template` rather than a null one.</summary>
public sealed record ShotstackTemplateData(
    Guid Id, string Name, string Owner, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Template);

/// <summary>Shotstack's template routes: Edits saved per user, rendered later through the same submission as POST /render.</summary>
public static class ShotstackTemplateEndpoints
{
    public const int MaxNameLength = 500;

    public static void MapShotstackTemplates(this RouteGroupBuilder group)
    {
        group.MapPost("/templates", PostTemplate).RequireScope(Scopes.Render).WithIdempotency();
        group.MapGet("/templates", GetTemplates).RequireScope(Scopes.JobsRead).CountsAsRead();
        group.MapGet("/templates/{id}", GetTemplate).RequireScope(Scopes.JobsRead).CountsAsRead();
        group.MapPut("/templates/{id}", PutTemplate).RequireScope(Scopes.Render);
        group.MapDelete("/templates/{id}", DeleteTemplate).RequireScope(Scopes.Render);
        group.MapPost("/templates/render", PostTemplateRender).RequireScope(Scopes.Render).WithIdempotency();
    }

    private static async Task<JsonHttpResult<ShotstackEnvelope<object>>> PostTemplate(
        ShotstackTemplateRequest body, HttpContext http, ShotstackTemplateStore templates, CancellationToken ct)
    {
        if (Validate(body) is { } refused) return refused;
        var id = await templates.CreateAsync(http.User.UserId(), body.Name!, TemplateJson(body), ct);
        return ShotstackEndpoints.Envelope(StatusCodes.Status201Created, new ShotstackQueued("Template Successfully Created", id));
    }

    private static async Task<JsonHttpResult<ShotstackEnvelope<object>>> GetTemplates(HttpContext http, ShotstackTemplateStore templates, CancellationToken ct)
    {
        var userId = http.User.UserId();
        var list = await templates.ListAsync(userId, ct);
        return ShotstackEndpoints.Envelope(StatusCodes.Status200OK, new ShotstackTemplateList(userId.ToString(),
            list.Select(t => new ShotstackTemplateListItem(t.Id, t.Name, t.CreatedAt, t.UpdatedAt)).ToList()));
    }

    private static async Task<JsonHttpResult<ShotstackEnvelope<object>>> GetTemplate(string id, HttpContext http, ShotstackTemplateStore templates, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var templateId)) return BadId();
        var template = await templates.GetAsync(http.User.UserId(), templateId, ct);
        if (template is null) return NotFound(id);
        using var edit = template.Template is null ? null : JsonDocument.Parse(template.Template);
        return ShotstackEndpoints.Envelope(StatusCodes.Status200OK,
            new ShotstackTemplateData(template.Id, template.Name, template.UserId.ToString(), edit?.RootElement.Clone()));
    }

    private static async Task<JsonHttpResult<ShotstackEnvelope<object>>> PutTemplate(
        string id, ShotstackTemplateRequest body, HttpContext http, ShotstackTemplateStore templates, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var templateId)) return BadId();
        if (Validate(body) is { } refused) return refused;
        return await templates.UpdateAsync(http.User.UserId(), templateId, body.Name!, TemplateJson(body), ct)
            ? ShotstackEndpoints.Envelope(StatusCodes.Status200OK, new ShotstackQueued("Template Successfully Updated", templateId))
            : NotFound(id);
    }

    private static async Task<Results<NoContent, JsonHttpResult<ShotstackEnvelope<object>>>> DeleteTemplate(
        string id, HttpContext http, ShotstackTemplateStore templates, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var templateId)) return BadId();
        return await templates.DeleteAsync(http.User.UserId(), templateId, ct) ? TypedResults.NoContent() : NotFound(id);
    }

    private static async Task<JsonHttpResult<ShotstackEnvelope<object>>> PostTemplateRender(
        ShotstackTemplateRenderRequest body, HttpContext http, ShotstackTemplateStore templates, RenderSubmission submission, CancellationToken ct)
    {
        if (body.Id is not { ValueKind: JsonValueKind.String } idValue || !Guid.TryParse(idValue.GetString(), out var templateId))
        {
            return Refuse("id", body.Id is null ? "is required" : "must be a template id (a UUID)");
        }
        if (body.Merge is { ValueKind: not (JsonValueKind.Array or JsonValueKind.Null) })
        {
            return Refuse("merge", "must be an array");
        }
        var userId = http.User.UserId();
        var template = await templates.GetAsync(userId, templateId, ct);
        if (template is null) return NotFound(templateId.ToString());
        var edit = ShotstackTemplateMerge.Combine(template.Template, body.Merge);
        var (provider, _) = RenderProviders.Resolve(null, http.RequestServices);
        return ShotstackEndpoints.Queued(await submission.SubmitAsync(userId, edit, ct, provider ?? RenderProviders.Local));
    }

    private static JsonHttpResult<ShotstackEnvelope<object>>? Validate(ShotstackTemplateRequest body)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(body.Name)) errors["name"] = ["is required and must be a non-empty string"];
        else if (body.Name.Length > MaxNameLength) errors["name"] = [$"must be at most {MaxNameLength} characters"];
        if (body.Template is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) }) errors["template"] = ["must be an Edit object"];
        return errors.Count == 0 ? null : ShotstackEndpoints.Error(StatusCodes.Status400BadRequest, ShotstackEndpoints.Describe(errors));
    }

    /// <summary>Shotstack saves a blank template when `template` is left out.</summary>
    private static string? TemplateJson(ShotstackTemplateRequest body) =>
        body.Template is { ValueKind: JsonValueKind.Object } template ? template.GetRawText() : null;

    private static JsonHttpResult<ShotstackEnvelope<object>> Refuse(string field, string message) =>
        ShotstackEndpoints.Error(StatusCodes.Status400BadRequest, $"{field}: {message}");

    private static JsonHttpResult<ShotstackEnvelope<object>> BadId() => Refuse("id", "must be a template id (a UUID)");

    private static JsonHttpResult<ShotstackEnvelope<object>> NotFound(string id) =>
        ShotstackEndpoints.Error(StatusCodes.Status404NotFound, $"No template with id '{id}' exists for this API key.");
}

using System.Text;
using System.Text.Json;
using Reelgate.Common;

namespace Reelgate.Rendering;

/// <summary>Turns Edit JSON into an <see cref="Edit"/>: merge fields first, then strict validation. Never throws on bad input.</summary>
public static class EditParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MergeFields.MaxDepth, AllowDuplicateProperties = false };

    public static EditParseResult Parse(string json, RenderLimits? limits = null) => Parse(json, limits, forwarding: false);

    /// <summary>
    /// Validates an Edit that Shotstack will render: the same schema checks, but asset types and features only the
    /// local renderer lacks (html5, captions, generated assets) are accepted.
    /// </summary>
    public static EditParseResult ParseForForwarding(string json, RenderLimits? limits = null) => Parse(json, limits, forwarding: true);

    private static EditParseResult Parse(string json, RenderLimits? limits, bool forwarding)
    {
        limits ??= RenderLimits.Default;
        var errors = new ValidationErrors { ForForwarding = forwarding };
        using var source = Open(Encoding.UTF8.GetBytes(json), errors);
        if (source is null)
        {
            return Failed(errors, null);
        }
        // Most Edits have no merge fields: they are read as parsed, not written out and parsed a second time.
        if (!source.RootElement.TryGetProperty("merge", out _))
        {
            return Validated(source.RootElement, [], json, limits, errors);
        }
        if (MergeFields.Apply(source.RootElement, limits, errors) is not { } merged)
        {
            return Failed(errors, null);
        }
        using var document = JsonDocument.Parse(merged.Json, DocumentOptions);
        return Validated(document.RootElement, merged.Fields, Encoding.UTF8.GetString(merged.Json), limits, errors);
    }

    private static EditParseResult Validated(JsonElement root, List<MergeField> fields, string mergedJson, RenderLimits limits, ValidationErrors errors)
    {
        var edit = Read(JsonScope.Open(root, "", errors)!, fields, limits);
        if (edit is not null && !errors.Any)
        {
            CheckDuration(edit, limits, errors);
        }
        return errors.Any ? Failed(errors, mergedJson) : new EditParseResult(edit, new Dictionary<string, string[]>(), mergedJson);
    }

    /// <summary>The Edit as written, or null with the reason recorded: text that cannot be stored, malformed JSON, or not an object.</summary>
    private static JsonDocument? Open(byte[] utf8, ValidationErrors errors)
    {
        // The web app hands over pasted text that no request check has seen, so the Edit's text is checked here too.
        foreach (var (path, messages) in JsonTextScanner.Scan(utf8))
        {
            errors.Add(path, messages[0]);
        }
        if (errors.Any)
        {
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException exception)
        {
            errors.Add("$", $"is not valid JSON: {exception.Message}");
            return null;
        }
        if (document.RootElement.ValueKind == JsonValueKind.Object)
        {
            return document;
        }
        document.Dispose();
        errors.Add("$", "must be a JSON object");
        return null;
    }

    private static Edit? Read(JsonScope scope, List<MergeField> merge, RenderLimits limits)
    {
        var timeline = scope.Object("timeline", s => TimelineReader.Read(s, limits), required: true);
        var output = scope.Object("output", s => OutputReader.Read(s, limits), required: true);
        scope.Raw("merge");
        var callback = ValueReaders.Url(scope, "callback");
        var disk = scope.Enum("disk", EditVocabulary.Disks);
        var instance = scope.Enum("instance", EditVocabulary.Instances);
        scope.RejectUnknown();
        return timeline is null || output is null ? null : new Edit(timeline, output, merge, callback, disk, instance);
    }

    private static void CheckDuration(Edit edit, RenderLimits limits, ValidationErrors errors)
    {
        var timeline = TimelineResolver.Resolve(edit, new Dictionary<string, double>(), limits, knownDurationsOnly: true);
        foreach (var (path, messages) in timeline.Errors)
        {
            foreach (var message in messages)
            {
                errors.Add(path, message);
            }
        }
    }

    private static EditParseResult Failed(ValidationErrors errors, string? mergedJson) => new(null, errors.ToDictionary(), mergedJson);
}

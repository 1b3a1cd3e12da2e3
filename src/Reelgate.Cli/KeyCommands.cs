using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Reelgate.Cli;

/// <summary><c>reelgate keys create|list|revoke</c>.</summary>
public static class KeyCommands
{
    public static Command Keys() => new("keys", "Manage API keys") { Create(), List(), Revoke() };

    private static Command Create()
    {
        var name = new Option<string>("--name") { Description = "What the key is for", Required = true };
        var scopes = new Option<string[]>("--scope")
        {
            Description = "A scope the key gets (repeat for several): render, generate, jobs:read, projects, billing, webhooks, admin. " +
                          "Without it the key gets every scope but admin",
            HelpName = "SCOPE",
        };
        var expires = new Option<string?>("--expires")
        {
            Description = "When the key stops working: a duration (30d, 12h) or a UTC date or time (2026-12-31, 2026-12-31T18:00:00Z)",
            HelpName = "WHEN",
        };
        var create = new Command("create", "Create a key; it is shown once") { name, scopes, expires };
        create.WithApiAction(async (parse, api, output, ct) =>
        {
            var chosen = parse.GetValue(scopes);
            var expiresAt = parse.GetValue(expires) is { } when ? ExpiresAt(when, DateTime.UtcNow) : (DateTime?)null;
            var key = await api.PostJsonAsync("api/v1/keys", new
            {
                name = parse.GetValue(name),
                scopes = chosen is { Length: > 0 } ? chosen : null,
                expiresAt,
            }, ct);
            if (output.Json)
            {
                output.Raw(key);
                return ExitCodes.Ok;
            }
            var until = JobText.Text(key, "expiresAt");
            output.Line($"Created key {Markup.Escape(JobText.Text(key, "name"))} ({Markup.Escape(JobText.Text(key, "id"))}) with scopes " +
                        $"{Markup.Escape(Scopes(key))}{(until.Length == 0 ? "" : $", expiring {JobText.When(key, "expiresAt")} UTC")}. It is shown only now:");
            output.Console.WriteLine(JobText.Text(key, "key"));
            return ExitCodes.Ok;
        });
        return create;
    }

    private static Command List() =>
        new Command("list", "List your keys").WithApiAction(async (_, api, output, ct) =>
        {
            var keys = await api.GetAsync("api/v1/keys", ct);
            if (output.Json)
            {
                output.Raw(keys);
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumn(new TableColumn("ID").NoWrap()).AddColumn(new TableColumn("Name").NoWrap())
                .AddColumns("Prefix", "Scopes", "Created", "Last used", "Expires", "State");
            foreach (var key in keys.GetProperty("data").EnumerateArray())
            {
                table.AddRow(Markup.Escape(JobText.Text(key, "id")), Markup.Escape(JobText.Text(key, "name")), Markup.Escape(JobText.Text(key, "prefix")),
                    Markup.Escape(Scopes(key)), JobText.When(key, "createdAt"), JobText.When(key, "lastUsedAt"), JobText.When(key, "expiresAt"), State(key));
            }
            output.Console.Write(table);
            return ExitCodes.Ok;
        });

    private static Command Revoke()
    {
        var id = new Argument<string>("id") { Description = "The key's id (from keys list)" };
        var revoke = new Command("revoke", "Revoke a key at once, everywhere") { id };
        revoke.WithApiAction(async (parse, api, output, ct) =>
        {
            var keyId = parse.GetValue(id)!;
            if (!Guid.TryParse(keyId, out _)) throw new CliException($"'{keyId}' is not a key id (a UUID; see reelgate keys list).");
            await api.DeleteAsync($"api/v1/keys/{keyId}", ct);
            if (output.Json) output.Raw(JsonSerializer.SerializeToElement(new { id = keyId, revoked = true }));
            else output.Line($"Revoked key {Markup.Escape(keyId)}.");
            return ExitCodes.Ok;
        });
        return revoke;
    }

    /// <summary>The moment <c>--expires</c> names: now plus a number of days or hours, or a date or time read as UTC.</summary>
    public static DateTime ExpiresAt(string value, DateTime now)
    {
        var text = value.Trim();
        if (text.Length > 1 && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0)
        {
            switch (text[^1])
            {
                case 'd': return now.AddDays(count);
                case 'h': return now.AddHours(count);
            }
        }
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)) return at;
        throw new CliException($"--expires: '{value}' is neither a duration such as 30d or 12h nor a date or time such as 2026-12-31.");
    }

    private static string Scopes(JsonElement key) =>
        key.TryGetProperty("scopes", out var scopes) && scopes.ValueKind == JsonValueKind.Array
            ? string.Join(", ", scopes.EnumerateArray().Select(s => s.GetString()))
            : "";

    private static string State(JsonElement key)
    {
        if (JobText.Text(key, "revokedAt").Length > 0) return "[red]revoked[/]";
        return key.TryGetProperty("expiresAt", out var at) && at.ValueKind == JsonValueKind.String && at.GetDateTime().ToUniversalTime() <= DateTime.UtcNow
            ? "[yellow]expired[/]"
            : "[green]active[/]";
    }
}

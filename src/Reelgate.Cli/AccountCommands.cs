using System.CommandLine;
using Spectre.Console;

namespace Reelgate.Cli;

/// <summary><c>reelgate login</c>, <c>credits</c> and <c>keys create|list|revoke</c>.</summary>
public static class AccountCommands
{
    public static Command Login()
    {
        var url = new Option<string>("--url") { Description = "Reelgate's base URL, e.g. https://reelgate.example.com", Required = true };
        var key = new Option<string>("--key") { Description = "An API key (rg_live_… or rg_test_…)", Required = true };
        var command = new Command("login", "Check a key and save it in ~/.config/reelgate/config.json (mode 0600)") { url, key };
        command.SetAction(async (parse, ct) =>
        {
            var output = new Output(parse.GetValue(ApiCommand.Json));
            var baseUrl = parse.GetValue(url)!;
            if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            {
                return output.Fail($"--url: '{baseUrl}' is not an http(s) URL.");
            }
            var config = new CliConfig(baseUrl.TrimEnd('/'), parse.GetValue(key)!);
            using var api = new ApiClient(config);
            return await ApiCommand.GuardAsync(output, async () =>
            {
                var me = await api.GetAsync("api/v1/me", ct);
                config.Save();
                if (output.Json) output.Raw(me);
                else output.Line($"Signed in to {Markup.Escape(config.Url)} as [bold]{Markup.Escape(JobText.Text(me, "email"))}[/]; saved to {Markup.Escape(CliConfig.FilePath)}.");
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    public static Command Credits() =>
        new Command("credits", "Show your credit balance").WithApiAction(async (_, api, output, ct) =>
        {
            var credits = await api.GetAsync("api/v1/credits", ct);
            if (output.Json)
            {
                output.Raw(credits);
                return ExitCodes.Ok;
            }
            var plan = JobText.Text(credits, "plan");
            output.Line($"Available [bold green]{JobText.Credits(credits, "available")}[/] · held {JobText.Credits(credits, "held")}" +
                        $" · plan {(plan.Length == 0 ? "none" : Markup.Escape(plan))}");
            return ExitCodes.Ok;
        });

    public static Command Keys()
    {
        var name = new Option<string>("--name") { Description = "What the key is for", Required = true };
        var create = new Command("create", "Create a key; it is shown once") { name };
        create.WithApiAction(async (parse, api, output, ct) =>
        {
            var key = await api.PostJsonAsync("api/v1/keys", new { name = parse.GetValue(name) }, ct);
            if (output.Json) output.Raw(key);
            else
            {
                output.Line($"Created key {Markup.Escape(JobText.Text(key, "name"))} ({Markup.Escape(JobText.Text(key, "id"))}). It is shown only now:");
                output.Console.WriteLine(JobText.Text(key, "key"));
            }
            return ExitCodes.Ok;
        });

        var list = new Command("list", "List your keys").WithApiAction(async (_, api, output, ct) =>
        {
            var keys = await api.GetAsync("api/v1/keys", ct);
            if (output.Json)
            {
                output.Raw(keys);
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumn(new TableColumn("ID").NoWrap()).AddColumn(new TableColumn("Name").NoWrap()).AddColumns("Prefix", "Created", "Last used", "State");
            foreach (var key in keys.GetProperty("data").EnumerateArray())
            {
                var revoked = JobText.Text(key, "revokedAt");
                table.AddRow(Markup.Escape(JobText.Text(key, "id")), Markup.Escape(JobText.Text(key, "name")), Markup.Escape(JobText.Text(key, "prefix")),
                    JobText.When(key, "createdAt"), JobText.When(key, "lastUsedAt"),
                    revoked.Length == 0 ? "[green]active[/]" : "[red]revoked[/]");
            }
            output.Console.Write(table);
            return ExitCodes.Ok;
        });

        var id = new Argument<string>("id") { Description = "The key's id (from keys list)" };
        var revoke = new Command("revoke", "Revoke a key at once, everywhere") { id };
        revoke.WithApiAction(async (parse, api, output, ct) =>
        {
            var keyId = parse.GetValue(id)!;
            if (!Guid.TryParse(keyId, out _)) throw new CliException($"'{keyId}' is not a key id (a UUID; see reelgate keys list).");
            await api.DeleteAsync($"api/v1/keys/{keyId}", ct);
            if (output.Json) output.Raw(System.Text.Json.JsonSerializer.SerializeToElement(new { id = keyId, revoked = true }));
            else output.Line($"Revoked key {Markup.Escape(keyId)}.");
            return ExitCodes.Ok;
        });

        return new Command("keys", "Manage API keys") { create, list, revoke };
    }
}

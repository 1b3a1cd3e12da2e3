using System.CommandLine;
using Spectre.Console;

namespace Reelgate.Cli;

/// <summary><c>reelgate login</c> and <c>credits</c>.</summary>
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
}

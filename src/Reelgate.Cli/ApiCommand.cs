using System.CommandLine;

namespace Reelgate.Cli;

public delegate Task<int> ApiAction(ParseResult parse, ApiClient api, Output output, CancellationToken ct);

/// <summary>Runs a command with the saved connection and turns Reelgate's answers into messages and exit codes.</summary>
public static class ApiCommand
{
    public static readonly Option<bool> Json = new("--json") { Description = "Print raw JSON for scripts", Recursive = true };

    public static Command WithApiAction(this Command command, ApiAction action)
    {
        command.SetAction(async (parse, ct) =>
        {
            var output = new Output(parse.GetValue(Json));
            CliConfig? config;
            try
            {
                config = CliConfig.Load();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                return output.Fail($"Could not read {CliConfig.FilePath}: {ex.Message}");
            }
            if (config is null) return output.Fail("Not signed in: run 'reelgate login --url URL --key KEY' (or set REELGATE_URL and REELGATE_API_KEY).");
            using var api = new ApiClient(config);
            return await GuardAsync(output, () => action(parse, api, output, ct));
        });
        return command;
    }

    public static async Task<int> GuardAsync(Output output, Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (ApiProblemException problem)
        {
            return output.Problem(problem);
        }
        catch (CliException refused)
        {
            return output.Fail(refused.Message);
        }
        catch (UnreachableException unreachable)
        {
            return output.Fail(unreachable.Message, ExitCodes.Unreachable);
        }
    }
}

using System.CommandLine;

namespace Reelgate.Cli;

/// <summary>
/// The command-line client: talks to Reelgate only over its HTTP API. Exit codes: 0 ok, 1 refused (4xx or bad
/// input), 2 unreachable, 3 server error, 4 the job ended failed or canceled.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("Reelgate: render and generate videos from the command line")
        {
            ApiCommand.Json,
            AccountCommands.Login(),
            SubmitCommands.Render(),
            SubmitCommands.Generate(),
            JobCommands.List(),
            JobCommands.Show(),
            JobCommands.Cancel(),
            JobCommands.Download(),
            AccountCommands.Credits(),
            KeyCommands.Keys(),
        };
        return await root.Parse(args).InvokeAsync();
    }
}

namespace Reelgate.Cli;

public static class Commands
{
    public static async Task<int> RunAsync(string[] args)
    {
        var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
        var rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
        switch (command)
        {
            case "serve":
                var app = App.Build(rest);
                await app.RunAsync();
                return 0;
            default:
                await Console.Error.WriteLineAsync($"unknown command '{command}'. Commands: serve, migrate, admin");
                return 2;
        }
    }
}

using Reelgate.Cli;

return await Commands.RunAsync(args);

/// <summary>Entry point type, visible to integration tests.</summary>
public partial class Program;

using System.Text.Json;

namespace Reelgate.Cli;

/// <summary>
/// Where to reach Reelgate and with which key: <c>~/.config/reelgate/config.json</c> (mode 0600), written by
/// <c>reelgate login</c>; REELGATE_URL and REELGATE_API_KEY override it for scripts and CI.
/// </summary>
public sealed record CliConfig(string Url, string Key)
{
    public static string FilePath
    {
        get
        {
            var home = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return Path.Combine(home, "reelgate", "config.json");
        }
    }

    public static CliConfig? Load()
    {
        CliConfig? saved = null;
        if (File.Exists(FilePath)) saved = JsonSerializer.Deserialize<CliConfig>(File.ReadAllText(FilePath), Output.JsonOptions);
        var url = Environment.GetEnvironmentVariable("REELGATE_URL") is { Length: > 0 } envUrl ? envUrl : saved?.Url;
        var key = Environment.GetEnvironmentVariable("REELGATE_API_KEY") is { Length: > 0 } envKey ? envKey : saved?.Key;
        return url is null || key is null ? null : new CliConfig(url, key);
    }

    /// <summary>The key is a secret: the folder is the user's alone and the file is created readable by its owner only.</summary>
    public void Save()
    {
        var folder = Path.GetDirectoryName(FilePath)!;
        var temporary = FilePath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        File.Delete(temporary);
        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, this, Output.JsonOptions);
        }
        File.Move(temporary, FilePath, overwrite: true);
    }
}

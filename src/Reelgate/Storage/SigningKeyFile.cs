using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Reelgate.Storage;

/// <summary>Supplies the link-signing secret: the configured one, else one generated once and kept on disk.</summary>
public static class SigningKeyFile
{
    public static byte[] Resolve(StorageOptions options)
    {
        if (options.SigningKey.Length > 0)
        {
            return Encoding.UTF8.GetBytes(options.SigningKey);
        }
        var path = Path.GetFullPath(options.SigningKeyPath);
        if (!File.Exists(path))
        {
            CreateOnce(path);
        }
        var stored = File.ReadAllText(path).Trim();
        return stored.Length > 0
            ? Encoding.UTF8.GetBytes(stored)
            : throw new InvalidOperationException($"The storage signing key file {path} is empty; delete it or set Storage:SigningKey.");
    }

    private static void CreateOnce(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporaryPath = $"{path}.{Guid.NewGuid():N}.tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var writer = new StreamWriter(temporaryPath, Encoding.ASCII, fileOptions))
        {
            writer.Write(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));
        }
        try
        {
            // Instances starting together race here; the first rename wins and the others read its key.
            File.Move(temporaryPath, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporaryPath);
        }
    }
}

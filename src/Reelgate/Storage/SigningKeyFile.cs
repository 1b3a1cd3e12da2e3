using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Reelgate.Common;

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
        string stored;
        try
        {
            stored = File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"The storage signing key file {path} cannot be read ({ex.Message.TrimEnd('.')}): let this user read it, or set Storage:SigningKey.", ex);
        }
        return stored.Length > 0
            ? Encoding.UTF8.GetBytes(stored)
            : throw new ConfigurationException($"The storage signing key file {path} is empty: delete it to have a new key made, or set Storage:SigningKey.");
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

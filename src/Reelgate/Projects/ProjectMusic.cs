using Microsoft.Extensions.Options;
using Reelgate.Fetch;
using Reelgate.Generation;
using Reelgate.Storage;

namespace Reelgate.Projects;

/// <summary>
/// A project's music: a linked file fetched through the guard, or an audio upload, judged by its bytes (MP3, M4A or WAV) and
/// kept at <c>music/{user}/{project}.{ext}</c>.
/// </summary>
public sealed class ProjectMusic(ProjectStore projects, ImageUploads uploads, AssetFetcher fetcher, IObjectStore store, IOptions<GenerationOptions> options)
{
    public const string NotAudioMessage = "must be MP3, M4A or WAV audio (judged by its content).";

    private static readonly IReadOnlySet<ContentKind> AudioKinds = new HashSet<ContentKind> { ContentKind.Mp3, ContentKind.Wav, ContentKind.Mp4 };

    /// <summary>Null when the music was set; otherwise the field and what is wrong with it.</summary>
    public async Task<(string Path, string Message)?> SetAsync(Guid userId, Guid projectId, string? url, Guid? uploadId, CancellationToken ct)
    {
        string key, contentType, source;
        if (uploadId is { } id)
        {
            var upload = await uploads.FindAsync(userId, id, ct);
            if (upload is null) return ("musicUploadId", "names no upload of yours.");
            if (!ImageUploads.IsAudio(upload.ContentType)) return ("musicUploadId", NotAudioMessage);
            await using var content = await store.OpenReadAsync(upload.StorageKey, ct);
            if (content is null) return ("musicUploadId", "is no longer stored; upload the file again.");
            key = StorageKeys.ForProjectMusic(userId, projectId, Path.GetExtension(upload.StorageKey));
            contentType = upload.ContentType;
            await store.PutAsync(key, content, contentType, ct);
            source = $"upload:{id}";
        }
        else
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var link)) return ("musicUrl", "must be an absolute http or https URL.");
            var max = options.Value.MaxAudioBytes;
            FetchedFile file;
            try
            {
                file = await fetcher.DownloadCachedAsync(link, new FetchRequest { MaxBytes = max, AcceptedKinds = AudioKinds }, ct);
            }
            catch (FetchException ex)
            {
                return ("musicUrl", ex.Code switch
                {
                    FetchErrorCodes.UnsupportedContent => NotAudioMessage,
                    FetchErrorCodes.TooLarge => UploadEndpoint.TooLargeMessage(max),
                    _ => $"could not be fetched: {ex.Message}",
                });
            }
            var header = new byte[ContentSniffer.HeaderLength];
            await using (var read = File.OpenRead(file.Path)) header = header[..await read.ReadAsync(header, ct)];
            if (ImageUploads.Describe(header) is not { } format || !ImageUploads.IsAudio(format.ContentType)) return ("musicUrl", NotAudioMessage);
            key = StorageKeys.ForProjectMusic(userId, projectId, format.Extension);
            contentType = format.ContentType;
            await store.PutFileAsync(key, file.Path, contentType, ct);
            source = link.AbsoluteUri;
        }
        var replaced = await projects.SetMusicAsync(userId, projectId, key, contentType, source, ct);
        if (replaced is not null && replaced != key) await store.DeleteAsync(replaced, ct);
        return null;
    }

    public async Task RemoveAsync(Guid userId, Guid projectId, CancellationToken ct)
    {
        if (await projects.SetMusicAsync(userId, projectId, null, null, null, ct) is { } replaced) await store.DeleteAsync(replaced, ct);
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Projects;

/// <summary>Driving projects and clips over HTTP as a client would.</summary>
internal static class ProjectApi
{
    public static async Task<JsonElement> CreateProjectAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/projects", body);
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {json}");
        return json;
    }

    public static async Task<Guid> UploadAsync(HttpClient client, string path)
    {
        var response = await UploadBytesAsync(client, await File.ReadAllBytesAsync(path), Path.GetFileName(path));
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {json}");
        return json.GetProperty("id").GetGuid();
    }

    public static async Task<HttpResponseMessage> UploadBytesAsync(HttpClient client, byte[] bytes, string name)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", name);
        return await client.PostAsync("/api/v1/uploads", form);
    }

    public static async Task<JsonElement> AddClipAsync(HttpClient client, Guid projectId, Guid uploadId, string? prompt = null, int? order = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/clips", new { projectId, uploadId, prompt, order });
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {json}");
        return json;
    }

    public static async Task<JsonElement> GetProjectAsync(HttpClient client, Guid id) => await (await client.GetAsync($"/api/v1/projects/{id}")).JsonAsync();

    /// <summary>Polls the project until <paramref name="done"/> holds for it.</summary>
    public static async Task<JsonElement> WaitForAsync(HttpClient client, Guid id, Func<JsonElement, bool> done, double seconds = 90)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var project = await GetProjectAsync(client, id);
            if (done(project)) return project;
            if (clock.Elapsed > TimeSpan.FromSeconds(seconds)) throw new TimeoutException($"Project {id} did not get there: {project}");
            await Task.Delay(150);
        }
    }

    public static bool NoneGenerating(JsonElement project) =>
        project.GetProperty("clips").EnumerateArray().All(c => c.GetProperty("status").GetString() != "generating");

    public static JsonElement Clip(JsonElement project, Guid id) =>
        project.GetProperty("clips").EnumerateArray().Single(c => c.GetProperty("id").GetGuid() == id);

    /// <summary>The path of a clip's video link, without its per-read signature and expiry.</summary>
    public static string VideoPath(JsonElement clip) =>
        new Uri(clip.GetProperty("video").GetProperty("url").GetString()!).AbsolutePath;

    /// <summary>Downloads a signed link of the test server through its client.</summary>
    public static async Task<string> DownloadAsync(HttpClient client, string url, string extension = "mp4")
    {
        var response = await client.GetAsync(new Uri(url).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine(Path.GetTempPath(), $"reelgate-download-{Guid.NewGuid():N}.{extension}");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        return path;
    }
}

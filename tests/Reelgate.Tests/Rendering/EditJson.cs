namespace Reelgate.Tests.Rendering;

/// <summary>Small Edit JSON documents for parser and resolver tests.</summary>
internal static class EditJson
{
    public const string Output = """{"format":"mp4","resolution":"sd"}""";

    public static string WithClips(params string[] clips) => WithTracks($$"""{"clips":[{{string.Join(",", clips)}}]}""");

    public static string WithTracks(params string[] tracks) =>
        $$"""{"timeline":{"tracks":[{{string.Join(",", tracks)}}]},"output":{{Output}}}""";

    public static string Image(string start = "0", string length = "1", string extra = "") =>
        $$"""{"asset":{"type":"image","src":"https://example.com/a.png"},"start":{{start}},"length":{{length}}{{extra}}}""";

    public static string Video(string src, string start = "0", string length = "\"auto\"", string extra = "") =>
        $$"""{"asset":{"type":"video","src":"{{src}}"},"start":{{start}},"length":{{length}}{{extra}}}""";
}

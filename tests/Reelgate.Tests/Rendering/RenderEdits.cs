namespace Reelgate.Tests.Rendering;

/// <summary>Tiny Edits over the fixture's media: 160×90 at 25 fps.</summary>
internal static class RenderEdits
{
    public const string SmallMp4 = """{"format":"mp4","size":{"width":160,"height":90},"fps":25}""";

    public static string Edit(string output, string timelineExtra, params string[] tracks) =>
        $$"""{"timeline":{"background":"#000000"{{timelineExtra}},"tracks":[{{string.Join(",", tracks.Select(t => $"{{\"clips\":[{t}]}}"))}}]},"output":{{output}}}""";

    public static string Mp4(params string[] tracks) => Edit(SmallMp4, "", tracks);

    public static string Image(string name, double length = 1, string extra = "", double start = 0) =>
        $$"""{"asset":{"type":"image","src":"{{RenderFixture.Host}}{{name}}"},"start":{{Num(start)}},"length":{{Num(length)}}{{extra}}}""";

    public static string Video(string name, string length = "\"auto\"", string assetExtra = "") =>
        $$"""{"asset":{"type":"video","src":"{{RenderFixture.Host}}{{name}}"{{assetExtra}}},"start":0,"length":{{length}}}""";

    private static string Num(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

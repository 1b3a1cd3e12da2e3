using System.Text.Json.Nodes;
using Reelgate.Common;

namespace Reelgate.Projects;

/// <summary>
/// The Shotstack-format Edit of a project's final video: the approved clips back to back in their order on one track, and
/// the music as the soundtrack, which ends with the video and fades out over its last seconds.
/// </summary>
public static class AssemblyEdit
{
    public static readonly string[] Transitions = ["none", "fade", "wipe"];

    public static readonly string[] Resolutions = ["preview", "mobile", "sd", "hd", "1080"];

    public sealed record Part(string Src, double Seconds);

    public static string Build(IReadOnlyList<Part> clips, string? musicSrc, string transition, string resolution, double musicVolume)
    {
        var track = new JsonArray();
        var start = 0.0;
        foreach (var clip in clips)
        {
            var item = new JsonObject
            {
                ["asset"] = new JsonObject { ["type"] = "video", ["src"] = clip.Src, ["volume"] = 0 },
                ["start"] = Math.Round(start, 3),
                ["length"] = Math.Round(clip.Seconds, 3),
            };
            if (Transition(transition) is { } names) item["transition"] = new JsonObject { ["in"] = names.In, ["out"] = names.Out };
            track.Add(item);
            start += Math.Round(clip.Seconds, 3);
        }
        var timeline = new JsonObject { ["background"] = "#000000", ["tracks"] = new JsonArray(new JsonObject { ["clips"] = track }) };
        if (musicSrc is not null)
        {
            timeline["soundtrack"] = new JsonObject { ["src"] = musicSrc, ["effect"] = "fadeOut", ["volume"] = musicVolume };
        }
        var edit = new JsonObject
        {
            ["timeline"] = timeline,
            ["output"] = new JsonObject { ["format"] = "mp4", ["resolution"] = resolution },
        };
        return edit.ToJsonString(Json.Options);
    }

    private static (string In, string Out)? Transition(string name) => name switch
    {
        "fade" => ("fade", "fade"),
        "wipe" => ("wipeRight", "wipeRight"),
        _ => null,
    };

}

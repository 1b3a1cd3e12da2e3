namespace Reelgate.Web.Components.Pages;

public sealed record EditExample(string Id, string Name, string Description, string Json);

/// <summary>Ready-made Edits for the render editor; they use text only, except one that points at an asset to replace.</summary>
public static class EditExamples
{
    public static readonly IReadOnlyList<EditExample> All =
    [
        new("title", "Title card", "Three seconds of title over a dark background, with a thumbnail.", """
            {
              "timeline": {
                "background": "#0b0b10",
                "tracks": [
                  {
                    "clips": [
                      {
                        "asset": { "type": "title", "text": "Hello from Reelgate", "style": "minimal", "color": "#ffffff" },
                        "start": 0,
                        "length": 3,
                        "transition": { "in": "fade" }
                      }
                    ]
                  }
                ]
              },
              "output": {
                "format": "mp4",
                "resolution": "preview",
                "fps": 24,
                "thumbnail": { "capture": 1, "scale": 0.5 }
              }
            }
            """),
        new("slides", "Text slides", "Three captions in a row with transitions, in HD.", """
            {
              "timeline": {
                "background": "#1a1033",
                "tracks": [
                  {
                    "clips": [
                      { "asset": { "type": "title", "text": "Plan", "style": "blockbuster" }, "start": 0, "length": 2, "transition": { "in": "fade", "out": "fade" } },
                      { "asset": { "type": "title", "text": "Render", "style": "blockbuster" }, "start": 2, "length": 2, "transition": { "in": "slideLeft", "out": "fade" } },
                      { "asset": { "type": "title", "text": "Ship", "style": "blockbuster" }, "start": 4, "length": 2, "transition": { "in": "zoom", "out": "fade" } }
                    ]
                  }
                ]
              },
              "output": { "format": "mp4", "resolution": "hd" }
            }
            """),
        new("merge", "Merge fields", "A title whose text comes from the merge list, for templated videos.", """
            {
              "timeline": {
                "background": "#0f172a",
                "tracks": [
                  {
                    "clips": [
                      { "asset": { "type": "title", "text": "Welcome, {{ NAME }}", "style": "future" }, "start": 0, "length": 4 }
                    ]
                  }
                ]
              },
              "output": { "format": "mp4", "resolution": "sd" },
              "merge": [ { "find": "NAME", "replace": "Ada" } ]
            }
            """),
        new("image", "Your image", "A caption over your own picture: replace the src with a public image URL before rendering.", """
            {
              "timeline": {
                "tracks": [
                  {
                    "clips": [
                      { "asset": { "type": "title", "text": "Your caption", "style": "subtitle" }, "start": 0, "length": 5 }
                    ]
                  },
                  {
                    "clips": [
                      { "asset": { "type": "image", "src": "https://example.com/replace-with-your-image.jpg" }, "start": 0, "length": 5, "effect": "zoomIn" }
                    ]
                  }
                ]
              },
              "output": { "format": "mp4", "resolution": "sd" }
            }
            """),
    ];

    public static EditExample Find(string? id) => All.FirstOrDefault(e => e.Id == id) ?? All[0];
}

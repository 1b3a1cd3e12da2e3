using System.Text;

namespace Reelgate.Bench.ProxyLoad;

/// <summary>
/// The Edit every request carries: bench/render's composition (a title over a half-transparent logo over two
/// crossfading clips, a soundtrack) with explicit lengths, so nothing is fetched to price it. The title's text is the
/// request's marker, which the fake upstream records on arrival.
/// </summary>
internal static class Edits
{
    private const string Template = """
        {"timeline":{"background":"#000000",
          "soundtrack":{"src":"https://cdn.example.com/bench/music.mp3","volume":0.5},
          "tracks":[
            {"clips":[{"asset":{"type":"title","text":"MARKER","style":"minimal","size":"medium"},"start":0,"length":10}]},
            {"clips":[{"asset":{"type":"image","src":"https://cdn.example.com/bench/logo.png"},"start":0,"length":10,"fit":"none","position":"topRight","opacity":0.5}]},
            {"clips":[
              {"asset":{"type":"video","src":"https://cdn.example.com/bench/a.mp4"},"start":0,"length":5.5,"transition":{"out":"fade"}},
              {"asset":{"type":"video","src":"https://cdn.example.com/bench/b.mp4"},"start":4.5,"length":5.5,"transition":{"in":"fade"}}]}]},
         "output":{"format":"mp4","fps":25,"size":{"width":1280,"height":720}}}
        """;

    public static byte[] Body(string marker) => Encoding.UTF8.GetBytes(Template.Replace("MARKER", marker, StringComparison.Ordinal));
}

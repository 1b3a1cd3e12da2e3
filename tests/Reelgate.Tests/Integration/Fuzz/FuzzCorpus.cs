using System.Text;
using static Reelgate.Tests.Integration.Fuzz.FuzzCategories;

namespace Reelgate.Tests.Integration.Fuzz;

/// <summary>What valid bodies refer to: the loopback media server, the caller's upload, another user's referral code.</summary>
internal sealed record FuzzInputs(string Media, Guid UploadId, string ReferralCode, byte[] Png);

/// <summary>One write endpoint, the valid bodies mutations start from and how many mutations it gets.</summary>
internal sealed record FuzzTarget(HttpMethod Method, string[] Paths, string[] Bases, bool IsEdit, int Count);

/// <summary>Every generated request, in a fixed order for a seed: each target draws from its own random stream.</summary>
internal static class FuzzCorpus
{
    public static readonly string[] EditPaths = ["/api/v1/render", "/edit/v1/render", "/edit/stage/render", "/v1/render", "/stage/render"];

    private static readonly string[] Providers = ["", "shotstack", "SHOTSTACK", "runway", "../local", new string('p', 5000), "local&provider=shotstack", "lo%00cal", "ローカル", "auto"];

    public static List<FuzzTarget> Targets(FuzzInputs inputs) =>
    [
        new(HttpMethod.Post, EditPaths, Edits(inputs.Media), IsEdit: true, Count: 432),
        new(HttpMethod.Post, ["/api/v1/generate"], [
            """{"prompt":"A red fox running through snow","durationSec":5}""",
            $$"""{"prompt":"slow pan","imageUrl":"{{inputs.Media}}still.png","durationSec":10,"seed":42,"ratio":"9:16","provider":"local"}""",
            $$"""{"uploadId":"{{inputs.UploadId}}","durationSec":15,"ratio":"1:1"}""",
        ], IsEdit: false, Count: 96),
        new(HttpMethod.Post, ["/api/v1/keys"], ["""{"name":"ci key"}"""], IsEdit: false, Count: 48),
        new(HttpMethod.Put, ["/api/v1/webhook-endpoint"], [$$"""{"url":"{{inputs.Media}}hook"}""", $$"""{"url":"{{inputs.Media}}hook","rotateSecret":true}"""], IsEdit: false, Count: 48),
        new(HttpMethod.Post, ["/api/v1/credits/purchase"], ["""{"pack":"credits-50"}""", """{"plan":"starter"}"""], IsEdit: false, Count: 48),
        new(HttpMethod.Post, ["/api/v1/credits/redeem-referral"], [$$"""{"code":"{{inputs.ReferralCode}}"}"""], IsEdit: false, Count: 48),
    ];

    /// <summary>Each valid body once per path: the mutations start from bodies the API accepts.</summary>
    public static List<FuzzRequest> Unmutated(FuzzInputs inputs)
    {
        var requests = Targets(inputs).SelectMany(t => t.Paths.SelectMany(path => t.Bases.Select(body => FuzzRequest.Json(FuzzCategories.Unmutated, t.Method, path, body)))).ToList();
        requests.Add(new MultipartMutator(new Random(0), inputs.Png).Valid());
        return requests;
    }

    public static List<FuzzRequest> Mutations(int seed, FuzzInputs inputs)
    {
        var requests = new List<FuzzRequest>();
        var targets = Targets(inputs);
        for (var t = 0; t < targets.Count; t++)
        {
            var target = targets[t];
            var random = new Random(seed + t);
            var mutator = new JsonMutator(random);
            string[] categories = [.. JsonMutator.TreeCategories, .. target.IsEdit ? JsonMutator.EditOnlyCategories : [], .. JsonMutator.TextCategories];
            for (var i = 0; i < target.Count; i++)
            {
                // Round robin over the categories, so each gets its share whatever the count.
                var mutated = mutator.Mutate(Pick(random, target.Bases), categories[i % categories.Length]);
                requests.Add(new FuzzRequest(mutated.Category, target.Method, Pick(random, target.Paths), mutated.Body, mutated.ContentType));
            }
        }
        // Every content type on every endpoint, whatever the seed draws for the category above.
        var sweep = new Random(seed + 300);
        requests.AddRange(targets.SelectMany(target => FuzzValues.ContentTypes.Append(null).Select(type =>
            new FuzzRequest(WrongContentType, target.Method, Pick(sweep, target.Paths), Encoding.UTF8.GetBytes(Pick(sweep, target.Bases)), type))));
        var queries = new Random(seed + 100);
        var edits = Edits(inputs.Media);
        requests.AddRange(Providers.Select(p => FuzzRequest.Json(BadQuery, HttpMethod.Post, $"/api/v1/render?provider={p}", Pick(queries, edits))));
        var uploads = new MultipartMutator(new Random(seed + 200), inputs.Png);
        requests.AddRange(Enumerable.Range(0, 60).Select(_ => uploads.Mutate()));
        requests.AddRange(PendingFixMutations(seed, targets));
        return requests;
    }

    /// <summary>Drawn from streams of their own, so asking for them leaves the other requests as they were.</summary>
    private static IEnumerable<FuzzRequest> PendingFixMutations(int seed, List<FuzzTarget> targets)
    {
        for (var t = 0; t < targets.Count; t++)
        {
            var target = targets[t];
            var random = new Random(seed + 1000 + t);
            var mutator = new PendingMutations(random);
            var categories = target.IsEdit ? PendingFixes : [NulCharacter, LoneSurrogate];
            for (var i = 0; i < (target.IsEdit ? 40 : 8); i++)
            {
                var mutated = mutator.Mutate(Pick(random, target.Bases), categories[i % categories.Length]);
                yield return new FuzzRequest(mutated.Category, target.Method, Pick(random, target.Paths), mutated.Body, mutated.ContentType);
            }
        }
    }

    public static string[] Edits(string media) => [.. EditTemplates.Select(t => t.Replace("MEDIA/", media, StringComparison.Ordinal))];

    /// <summary>Valid Edits over the loopback media server (MEDIA/), one or two features of the schema each.</summary>
    private static readonly string[] EditTemplates =
    [
        """{"timeline":{"tracks":[{"clips":[{"asset":{"type":"title","text":"Hello","style":"minimal"},"start":0,"length":3}]}]},"output":{"format":"mp4","resolution":"sd"}}""",
        """
        {"timeline":{"background":"#112233","tracks":[{"clips":[{"asset":{"type":"image","src":"MEDIA/still.png","crop":{"top":0.1,"left":0.1}},
         "start":0,"length":2,"fit":"contain","scale":0.8,"position":"topLeft","offset":{"x":0.1,"y":-0.1},
         "opacity":[{"from":0,"to":1,"start":0,"length":1,"interpolation":"bezier","easing":"easeInOutQuad"}],
         "transition":{"in":"fade","out":"wipeLeftSlow"},"effect":"zoomIn","filter":"greyscale","transform":{"rotate":{"angle":15},"flip":{"horizontal":true}}}]}]},
         "output":{"format":"mp4","size":{"width":160,"height":90},"fps":25,"quality":"low"}}
        """,
        """
        {"timeline":{"soundtrack":{"src":"MEDIA/tone.mp3","effect":"fadeOut","volume":0.5},
         "tracks":[{"clips":[{"asset":{"type":"video","src":"MEDIA/clip.mp4","trim":0,"volume":0.5,"speed":1},"start":0,"length":"auto"}]}]},
         "output":{"format":"mp4","resolution":"preview","aspectRatio":"9:16"}}
        """,
        """
        {"timeline":{"fonts":[{"src":"MEDIA/font.ttf"}],"tracks":[{"clips":[{"asset":{"type":"text","text":"Hi {{NAME}}",
         "font":{"family":"DejaVu Sans","color":"#ffcc00","size":24,"weight":700,"lineHeight":1.2},"background":{"color":"#000000","opacity":0.5,"padding":4},
         "alignment":{"horizontal":"left","vertical":"top"},"stroke":{"width":1,"color":"#ff0000"}},"start":0,"length":"{{LEN}}","width":120,"height":60}]}]},
         "output":{"format":"gif","resolution":"preview","fps":12,"repeat":true},
         "merge":[{"find":"NAME","replace":"Ada"},{"find":"LEN","replace":2}],"callback":"MEDIA/callback"}
        """,
        """
        {"timeline":{"tracks":[{"clips":[{"asset":{"type":"luma","src":"MEDIA/still.png"},"start":0,"length":1}]},
         {"clips":[{"asset":{"type":"image","src":"MEDIA/still.png"},"start":0,"length":2,"alias":"bg"},
          {"asset":{"type":"title","text":"Next","style":"future","size":"small","color":"#ffffff","background":"#000000"},"start":2,"length":"alias://bg"}]}]},
         "output":{"format":"mp4","resolution":"mobile","range":{"start":0,"length":2},"poster":{"capture":1},"thumbnail":{"capture":1,"scale":0.5}}}
        """,
        """{"timeline":{"tracks":[{"clips":[{"asset":{"type":"image","src":"MEDIA/still.png"},"start":0,"length":1}]}]},"output":{"format":"jpg","resolution":"sd"},"disk":"local"}""",
        """{"timeline":{"tracks":[{"clips":[{"asset":{"type":"audio","src":"MEDIA/tone.mp3","volume":1,"effect":"fadeIn"},"start":0,"length":3}]}]},"output":{"format":"mp3"}}""",
    ];

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public static string Text(FuzzRequest request) => Encoding.UTF8.GetString(request.Body);
}

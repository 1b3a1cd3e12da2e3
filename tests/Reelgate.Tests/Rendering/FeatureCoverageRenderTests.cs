using Reelgate.Rendering;

namespace Reelgate.Tests.Rendering;

public class FeatureCoverageRenderTests(RenderFixture fixture) : IClassFixture<RenderFixture>
{
    private const string EveryFeature = """
        {"timeline":{"background":"#202020","fonts":[{"src":"https://media.test/Brand.ttf"}],
         "soundtrack":{"src":"https://media.test/tone.mp3","effect":"fadeInFadeOut","volume":0.5},
         "tracks":[
          {"clips":[
            {"asset":{"type":"text","text":"Hello wide world of text wrapping","width":120,"height":60,"font":{"family":"Brand","size":14,"color":"#ffff00","weight":700},"background":{"color":"#000000","opacity":0.5,"padding":4},"alignment":{"horizontal":"left","vertical":"top"},"stroke":{"width":1,"color":"#ff0000"}},"start":0,"length":2,"position":"bottomRight","transition":{"in":"wipeRight","out":"revealFast"}},
            {"asset":{"type":"title","text":"Title","style":"blockbuster","color":"#80ffffff","background":"#000000","position":"top","offset":{"x":0.1,"y":-0.05}},"start":"auto","length":1,"transition":{"in":"zoom","out":"carouselLeft"}}
          ]},
          {"clips":[
            {"asset":{"type":"image","src":"https://media.test/red.png","crop":{"left":0.1,"right":0.1}},"start":0.5,"length":1.5,"fit":"contain","scale":0.5,"opacity":[{"from":0,"to":1,"start":0,"length":0.5,"interpolation":"bezier","easing":"easeOutBack"},{"from":1,"to":0.3,"start":1,"length":0.5}],"offset":{"x":[{"from":-0.2,"to":0.2,"start":0,"length":1.5,"easing":"easeInOutCubic"}],"y":0},"transform":{"rotate":{"angle":[{"from":0,"to":90,"start":0,"length":1.5}]},"flip":{"horizontal":true,"vertical":true}},"effect":"zoomInFast","filter":"boost"},
            {"asset":{"type":"luma","src":"https://media.test/halves.png"},"start":0.5,"length":0.5}
          ]},
          {"clips":[
            {"asset":{"type":"video","src":"https://media.test/clip.mp4","trim":0.2,"speed":1.5,"volume":[{"from":0,"to":1,"start":0,"length":1}],"volumeEffect":"fadeOut","crop":{"top":0.1},"chromaKey":{"color":"#00ff00","threshold":50,"halo":10}},"start":0,"length":"auto","effect":"slideLeftSlow","filter":"negative","transform":{"rotate":{"angle":15}},"transition":{"out":"shuffleTopLeftSlow"}},
            {"asset":{"type":"image","src":"https://media.test/blue.png"},"start":"auto","length":"end","fit":"cover","filter":"blur","effect":"slideDownFast","transition":{"in":"wipeLeft"}},
            {"asset":{"type":"audio","src":"https://media.test/tone.mp3","trim":1,"speed":0.4,"effect":"fadeIn","volume":0.3},"start":1,"length":1}
          ]},
          {"clips":[
            {"asset":{"type":"image","src":"https://media.test/white.png"},"start":0,"length":3.5,"filter":"muted","effect":"zoomOut","transition":{"in":"slideUpFast","out":"slideDown"}}
          ]}
         ]},
         "output":{"format":"mp4","resolution":"preview","aspectRatio":"1:1","scaleTo":"mobile","quality":"low","range":{"start":0.2}}}
        """;

    [Fact]
    public async Task Render_EditUsingEveryLocalFeature_ProducesTheScaledRangedOutput()
    {
        var output = await fixture.RenderAsync(EveryFeature);

        var info = await fixture.Probe.ProbeAsync(output, CancellationToken.None);
        Assert.Equal((360, 360, 15d), (info.Width, info.Height, info.Fps));
        Assert.InRange(info.DurationSeconds, 3.2, 3.45);
        Assert.True(info.HasAudio);
    }

    [Fact]
    public async Task Compile_CustomFontNamedByFileName_IsUsedForDrawtext()
    {
        var plan = await fixture.PlanAsync(EveryFeature, "mp4");

        Assert.Contains("Brand.ttf", plan.FilterGraph, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compile_Plan_ReportsProgressOnStdoutAndUsesOneFilterGraph()
    {
        var plan = await fixture.PlanAsync(EveryFeature, "mp4");

        Assert.Equal(["-progress", "pipe:1"], plan.Arguments.SkipWhile(a => a != "-progress").Take(2));
        Assert.Contains("-nostats", plan.Arguments);
        Assert.Single(plan.Arguments, a => a == "-filter_complex");
        Assert.Contains("amix=inputs=3:normalize=0", plan.FilterGraph, StringComparison.Ordinal);
    }
}

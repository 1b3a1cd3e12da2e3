using Reelgate.Rendering;

namespace Reelgate.Tests.Rendering;

public class SubtitleCuesTests
{
    [Fact]
    public void Parse_Srt_ReadsEachCuesTimesAndLines()
    {
        var cues = SubtitleCues.Parse("1\r\n00:00:00,500 --> 00:00:01,250\r\nHello\r\nthere\r\n\r\n2\r\n01:02:03,000 --> 01:02:04,000\r\n<i>Bye</i> &amp; out\r\n");

        Assert.Equal([new SubtitleCue(0.5, 1.25, "Hello\nthere"), new SubtitleCue(3723, 3724, "Bye & out")], cues);
    }

    [Fact]
    public void Parse_Vtt_SkipsTheHeaderNotesAndCueSettings()
    {
        var cues = SubtitleCues.Parse("WEBVTT\n\nNOTE made by hand\n\nintro\n00:01.000 --> 00:02.500 align:start line:0\n<v Ann>Hi</v>\n\n00:03.000 --> 00:02.000\nbackwards\n");

        Assert.Equal([new SubtitleCue(1, 2.5, "Hi")], cues);
    }
}

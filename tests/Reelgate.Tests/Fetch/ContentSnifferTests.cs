using System.Text;
using Reelgate.Fetch;

namespace Reelgate.Tests.Fetch;

public sealed class ContentSnifferTests
{
    [Theory]
    [InlineData("FFD8FFE000104A464946", ContentKind.Jpeg)]
    [InlineData("89504E470D0A1A0A0000000D49484452", ContentKind.Png)]
    [InlineData("524946462400000057454250565038", ContentKind.Webp)]
    [InlineData("474946383961", ContentKind.Gif)]
    [InlineData("474946383761", ContentKind.Gif)]
    [InlineData("0000001C66747970697336D000000200", ContentKind.Mp4)]
    [InlineData("00000020667479704D34412000000000", ContentKind.Mp4)]
    [InlineData("0000001466747970717420200000000071742020", ContentKind.Mov)]
    [InlineData("000000086D6F6F7600000000", ContentKind.Mov)]
    [InlineData("00000008776964650000000000", ContentKind.Mov)]
    [InlineData("1A45DFA39F4286810142F7810142F2810442F381084282847765626D", ContentKind.Webm)]
    [InlineData("1A45DFA39F4286810142F7810142F2810442F3810842828A6D6174726F736B61", ContentKind.Mkv)]
    [InlineData("FFF15080002FFC", ContentKind.Aac)]
    [InlineData("1A45DFA39F4286810142F7810142F2810442F3810842828A6E6F7468696E67", ContentKind.Unknown)]
    [InlineData("4944330400000000", ContentKind.Mp3)]
    [InlineData("FFFB9064", ContentKind.Mp3)]
    [InlineData("FFF15080", ContentKind.Unknown)]
    [InlineData("52494646240000005741564566", ContentKind.Wav)]
    [InlineData("4F67675300020000", ContentKind.Ogg)]
    [InlineData("0001000000120100", ContentKind.Ttf)]
    [InlineData("4F54544F000A0080", ContentKind.Otf)]
    [InlineData("3C21444F43545950452068746D6C3E", ContentKind.Unknown)]
    [InlineData("", ContentKind.Unknown)]
    public void Detect_RecognisesFormatByLeadingBytes(string hex, ContentKind expected) =>
        Assert.Equal(expected, ContentSniffer.Detect(Convert.FromHexString(hex)));

    [Fact]
    public void Detect_TextNamedLikeAnImage_IsUnknown() =>
        Assert.Equal(ContentKind.Unknown, ContentSniffer.Detect(Encoding.ASCII.GetBytes("not really a png")));

    [Theory]
    [InlineData("WEBVTT\n\n00:00.000 --> 00:01.000\nHi", ContentKind.Subtitles)]
    [InlineData("\uFEFF1\r\n00:00:00,000 --> 00:00:01,500\r\nHi", ContentKind.Subtitles)]
    [InlineData("1 is a number\nand this is prose", ContentKind.Unknown)]
    public void Detect_SubtitleText_ByItsHeaderOrItsFirstCue(string text, ContentKind expected) =>
        Assert.Equal(expected, ContentSniffer.Detect(Encoding.UTF8.GetBytes(text)));
}

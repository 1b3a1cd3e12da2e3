using Reelgate.Rendering;

namespace Reelgate.Tests.Rendering;

public sealed class Mp4DurationTests(RenderFixture fixture) : IClassFixture<RenderFixture>
{
    [Fact]
    public async Task Read_GivesTheMovieHeadersDuration_AsFfprobeDoes()
    {
        var path = fixture.Files[RenderFixture.Host + "clip.mp4"];

        var duration = Mp4Duration.Read(path);

        Assert.NotNull(duration);
        Assert.Equal((await fixture.Probe.ProbeAsync(path, CancellationToken.None)).DurationSeconds, duration.Value, 1);
    }

    [Theory]
    [InlineData("red.png")]
    [InlineData("tone.mp3")]
    public void Read_OfAFileWithoutAMovieHeader_IsNull(string name) =>
        Assert.Null(Mp4Duration.Read(fixture.Files[RenderFixture.Host + name]));

    [Fact]
    public void Read_OfATruncatedMp4_IsNull()
    {
        var path = Path.Combine(Path.GetTempPath(), $"truncated-{Guid.NewGuid():N}.mp4");
        var bytes = File.ReadAllBytes(fixture.Files[RenderFixture.Host + "clip.mp4"]);
        File.WriteAllBytes(path, bytes[..40]);

        Assert.Null(Mp4Duration.Read(path));
        File.Delete(path);
    }
}

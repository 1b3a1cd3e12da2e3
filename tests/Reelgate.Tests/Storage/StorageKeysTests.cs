using Reelgate.Storage;

namespace Reelgate.Tests.Storage;

public sealed class StorageKeysTests
{
    private static readonly Guid UserId = Guid.Parse("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    private static readonly Guid JobId = Guid.Parse("0190a1b2-c3d4-7e5f-8a9b-aaaaaaaaaaaa");

    [Fact]
    public void ForJobOutput_UsesPrefixUtcYearMonthUserAndJob()
    {
        var createdAt = new DateTimeOffset(2026, 1, 31, 23, 30, 0, TimeSpan.FromHours(-2));

        var key = StorageKeys.ForJobOutput("videos", UserId, JobId, createdAt, "mp4");

        Assert.Equal("videos/2026/02/user_0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/video_0190a1b2-c3d4-7e5f-8a9b-aaaaaaaaaaaa.mp4", key);
    }

    [Fact]
    public void ForJobPosterAndThumbnail_SitBesideTheVideo()
    {
        var createdAt = new DateTimeOffset(2026, 11, 5, 8, 0, 0, TimeSpan.Zero);
        var folder = $"renders/2026/11/user_{UserId}";

        Assert.Equal($"{folder}/video_{JobId}_poster.jpg", StorageKeys.ForJobPoster("renders", UserId, JobId, createdAt));
        Assert.Equal($"{folder}/video_{JobId}_thumb.jpg", StorageKeys.ForJobThumbnail("renders", UserId, JobId, createdAt));
    }

    [Fact]
    public void ForJobOutput_NormalisesPrefixSlashesAndExtensionDot()
    {
        var key = StorageKeys.ForJobOutput("/videos/", UserId, JobId, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), ".MP4");

        Assert.StartsWith("videos/2026/03/", key);
        Assert.EndsWith(".mp4", key);
        Assert.True(ObjectKey.IsValid(key));
    }

    [Fact]
    public void ForUpload_PutsImagesUnderTheUser()
    {
        var uploadId = Guid.Parse("0190a1b2-c3d4-7e5f-8a9b-bbbbbbbbbbbb");

        Assert.Equal($"images/{UserId}/{uploadId}.png", StorageKeys.ForUpload(UserId, uploadId, "png"));
    }

    [Theory]
    [InlineData("videos/2026/01/user_1/video_2.mp4", true)]
    [InlineData("a", true)]
    [InlineData("a-b_c.d/e", true)]
    [InlineData("", false)]
    [InlineData("/etc/passwd", false)]
    [InlineData("../secret", false)]
    [InlineData("a/../../b", false)]
    [InlineData("a/./b", false)]
    [InlineData("a//b", false)]
    [InlineData("a/", false)]
    [InlineData(".meta/a.json", false)]
    [InlineData("a/.hidden", false)]
    [InlineData("a\\b", false)]
    [InlineData("a b", false)]
    [InlineData("caf\u00e9.png", false)]
    [InlineData("a%2F..", false)]
    [InlineData("C:/x", false)]
    public void IsValid_AcceptsOnlySafeSegments(string key, bool expected) =>
        Assert.Equal(expected, ObjectKey.IsValid(key));
}

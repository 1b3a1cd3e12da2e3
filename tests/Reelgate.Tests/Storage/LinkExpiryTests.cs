using Reelgate.Storage;

namespace Reelgate.Tests.Storage;

public sealed class LinkExpiryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Compute_ShortLifetime_EndsAfterIt() =>
        Assert.Equal(Now.AddMinutes(15), LinkExpiry.Compute(Now, TimeSpan.FromMinutes(15), null, 24));

    [Fact]
    public void Compute_LifetimeOverADay_EndsAfterADay() =>
        Assert.Equal(Now.AddHours(24), LinkExpiry.Compute(Now, TimeSpan.FromDays(7), null, 0));

    [Fact]
    public void Compute_RetentionEndBeforeLifetime_EndsAtRetention() =>
        Assert.Equal(Now.AddHours(2), LinkExpiry.Compute(Now, TimeSpan.FromHours(24), Now.AddHours(2), 24));

    [Fact]
    public void Compute_RetentionEndGiven_OverridesConfiguredRetention() =>
        Assert.Equal(Now.AddHours(5), LinkExpiry.Compute(Now, TimeSpan.FromHours(24), Now.AddHours(5), 1));

    [Fact]
    public void Compute_ConfiguredRetentionShorter_EndsThen() =>
        Assert.Equal(Now.AddHours(3), LinkExpiry.Compute(Now, TimeSpan.FromHours(24), null, 3));

    [Fact]
    public void Compute_FractionalSeconds_AreTruncatedToWholeSeconds() =>
        Assert.Equal(Now.AddSeconds(10), LinkExpiry.Compute(Now.AddMilliseconds(400), TimeSpan.FromSeconds(10), null, 24));

    [Fact]
    public void Compute_RetentionAlreadyOver_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LinkExpiry.Compute(Now, TimeSpan.FromHours(1), Now.AddSeconds(-1), 24));

    [Fact]
    public void Compute_NonPositiveLifetime_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LinkExpiry.Compute(Now, TimeSpan.Zero, null, 24));
}

using System.Text;
using Reelgate.Billing;

namespace Reelgate.Tests.Billing;

public sealed class StripeSignatureTests
{
    private const string Secret = "whsec_test_secret";
    private const long Timestamp = 1_700_000_000;
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"evt_1","object":"event"}""");
    // HMAC-SHA256 of "1700000000.{body}" keyed with the UTF-8 bytes of the secret, whsec_ included (computed independently).
    private const string Expected = "0c8670ed117751cc551a20e35839447075c42800ea3cf3e8a2fbda99cd1e6edd";
    private const string OtherSecretSignature = "443d952004499c253336135326bfaef55fed4b9099dfbcff6d4aec5017c5185d";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(Timestamp + 10);
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);

    [Fact]
    public void Compute_MatchesHmacOfTimestampDotRawBodyKeyedWithWholeSecret() =>
        Assert.Equal(Expected, StripeSignature.Compute(Secret, Timestamp, Body));

    [Fact]
    public void Verify_AcceptsTheDocumentedHeader() =>
        Assert.Equal(StripeSignatureCheck.Valid, StripeSignature.Verify($"t={Timestamp},v1={Expected}", Body, Secret, Now, Tolerance));

    [Fact]
    public void Verify_AcceptsWhenAnyV1CandidateMatches_AndIgnoresOtherSchemes() =>
        Assert.Equal(StripeSignatureCheck.Valid,
            StripeSignature.Verify($"t={Timestamp},v1={OtherSecretSignature},v0=abc,v1={Expected}", Body, Secret, Now, Tolerance));

    [Fact]
    public void Verify_RefusesASignatureMadeWithAnotherSecret() =>
        Assert.Equal(StripeSignatureCheck.Mismatch, StripeSignature.Verify($"t={Timestamp},v1={OtherSecretSignature}", Body, Secret, Now, Tolerance));

    [Fact]
    public void Verify_RefusesATamperedBody()
    {
        var tampered = Encoding.UTF8.GetBytes("""{"id":"evt_2","object":"event"}""");
        Assert.Equal(StripeSignatureCheck.Mismatch, StripeSignature.Verify($"t={Timestamp},v1={Expected}", tampered, Secret, Now, Tolerance));
    }

    [Fact]
    public void Verify_RefusesAChangedTimestamp() =>
        Assert.Equal(StripeSignatureCheck.Mismatch, StripeSignature.Verify($"t={Timestamp + 1},v1={Expected}", Body, Secret, Now, Tolerance));

    [Theory]
    [InlineData(301)]
    [InlineData(-301)]
    public void Verify_RefusesTimestampsOutsideTheTolerance(long secondsAfterTimestamp)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(Timestamp + secondsAfterTimestamp);
        Assert.Equal(StripeSignatureCheck.OutsideTolerance, StripeSignature.Verify($"t={Timestamp},v1={Expected}", Body, Secret, now, Tolerance));
    }

    [Fact]
    public void Verify_AcceptsExactlyAtTheToleranceEdge() =>
        Assert.Equal(StripeSignatureCheck.Valid,
            StripeSignature.Verify($"t={Timestamp},v1={Expected}", Body, Secret, DateTimeOffset.FromUnixTimeSeconds(Timestamp + 300), Tolerance));

    [Theory]
    [InlineData(null, StripeSignatureCheck.Malformed)]
    [InlineData("", StripeSignatureCheck.Malformed)]
    [InlineData("v1=0c8670ed", StripeSignatureCheck.Malformed)]
    [InlineData("t=abc,v1=0c8670ed", StripeSignatureCheck.Malformed)]
    [InlineData("t=1700000000", StripeSignatureCheck.NoSignature)]
    [InlineData("t=1700000000,v0=0c8670ed", StripeSignatureCheck.NoSignature)]
    public void Verify_ClassifiesBadHeaders(string? header, StripeSignatureCheck expected) =>
        Assert.Equal(expected, StripeSignature.Verify(header, Body, Secret, Now, Tolerance));

    [Fact]
    public void Header_ProducesWhatVerifyAccepts() =>
        Assert.Equal($"t={Timestamp},v1={Expected}", StripeSignature.Header(Secret, Timestamp, Body));
}

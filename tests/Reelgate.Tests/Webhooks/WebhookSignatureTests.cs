using System.Text;
using Reelgate.Webhooks;

namespace Reelgate.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    [Fact]
    public void Sign_ReproducesTheStandardWebhooksSpecificationVector()
    {
        // The published example of the Standard Webhooks reference libraries (standard-webhooks, svix).
        var body = Encoding.UTF8.GetBytes("""{"test": 2432232314}""");

        var signature = WebhookSignature.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void Sign_ChangesWithEveryPartOfTheSignedContent()
    {
        const string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        var body = Encoding.UTF8.GetBytes("{}");
        var reference = WebhookSignature.Sign(secret, "msg_1", 1700000000, body);

        Assert.NotEqual(reference, WebhookSignature.Sign(secret, "msg_2", 1700000000, body));
        Assert.NotEqual(reference, WebhookSignature.Sign(secret, "msg_1", 1700000001, body));
        Assert.NotEqual(reference, WebhookSignature.Sign(secret, "msg_1", 1700000000, Encoding.UTF8.GetBytes("{ }")));
        Assert.NotEqual(reference, WebhookSignature.Sign("whsec_" + Convert.ToBase64String(new byte[24]), "msg_1", 1700000000, body));
    }

    [Fact]
    public void NewSecret_IsWhsecAndTheBase64OfTwentyFourRandomBytes()
    {
        var first = WebhookSignature.NewSecret();
        var second = WebhookSignature.NewSecret();

        Assert.StartsWith("whsec_", first);
        Assert.Equal(24, Convert.FromBase64String(first["whsec_".Length..]).Length);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Backoff_DoublesFromTheUnit_AddsAtMostAFifth_AndStopsAtTheCap()
    {
        var options = new WebhookOptions { BackoffUnit = TimeSpan.FromSeconds(10), MaxBackoff = TimeSpan.FromMinutes(5) };

        Assert.Equal(TimeSpan.FromSeconds(10), options.BackoffAfter(1, 0));
        Assert.Equal(TimeSpan.FromSeconds(20), options.BackoffAfter(2, 0));
        Assert.Equal(TimeSpan.FromSeconds(40), options.BackoffAfter(3, 0));
        Assert.Equal(TimeSpan.FromSeconds(48), options.BackoffAfter(3, 1));
        Assert.Equal(TimeSpan.FromMinutes(5), options.BackoffAfter(10, 0));
        Assert.Equal(TimeSpan.FromMinutes(6), options.BackoffAfter(1000, 1));
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reelgate.Tests.Fetch;

namespace Reelgate.Tests.Webhooks;

/// <summary>One webhook as it arrived, and whether its Standard Webhooks signature verified against the secret.</summary>
internal sealed record ReceivedWebhook(string Id, long Timestamp, string Signature, byte[] Body, bool SignatureValid, TimeSpan ArrivedAt)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>
/// A Kestrel receiver on 127.0.0.1 that verifies each delivery the way a Standard Webhooks library does, written
/// here independently of the app's signer so a shared mistake cannot pass.
/// </summary>
internal sealed class SignedReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TestHttpServer _server = null!;

    /// <summary>The status to answer the n-th request (1-based) with.</summary>
    public Func<int, int> Answer { get; init; } = _ => 200;

    public string Secret { get; set; } = "";

    public Uri Url => _server.Url("/hook");

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<SignedReceiver> StartAsync(Func<int, int>? answer = null)
    {
        var receiver = new SignedReceiver { Answer = answer ?? (_ => 200) };
        receiver._server = await TestHttpServer.StartAsync(app => app.MapPost("/hook", receiver.HandleAsync));
        return receiver;
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var id = request.Headers["webhook-id"].ToString();
        var timestamp = long.TryParse(request.Headers["webhook-timestamp"].ToString(), out var t) ? t : 0;
        var signature = request.Headers["webhook-signature"].ToString();
        var valid = Verify(Secret, id, timestamp, body, signature) && Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp) <= 300;
        _received.Enqueue(new ReceivedWebhook(id, timestamp, signature, body, valid, _clock.Elapsed));
        return Results.StatusCode(Answer(_received.Count));
    }

    private static bool Verify(string secret, string id, long timestamp, byte[] body, string header)
    {
        if (!secret.StartsWith("whsec_", StringComparison.Ordinal) || id.Length == 0) return false;
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        byte[] signed = [.. Encoding.UTF8.GetBytes($"{id}.{timestamp}."), .. body];
        var expected = HMACSHA256.HashData(key, signed);
        return header.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(entry => entry.StartsWith("v1,", StringComparison.Ordinal))
            .Select(entry => Decode(entry[3..]))
            .Any(candidate => CryptographicOperations.FixedTimeEquals(expected, candidate));
    }

    private static byte[] Decode(string base64)
    {
        var bytes = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, bytes, out var written) ? bytes[..written] : [];
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

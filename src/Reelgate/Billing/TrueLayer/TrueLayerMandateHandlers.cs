using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;

namespace Reelgate.Billing.TrueLayer;

/// <summary><c>mandate_authorized</c>: the user authorised the plan's mandate; the scheduler makes the first monthly payment.</summary>
public sealed class MandateAuthorizedHandler(MandateSchedule schedule, TimeProvider time) : ITrueLayerEventHandler
{
    public string EventType => "mandate_authorized";

    public Task HandleAsync(JsonObject payload, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        TlJson.Text(payload, "mandate_id") is { } id
            ? schedule.AuthorizedAsync(connection, tx, id, TlTimes.Read(payload, "authorized_at") ?? time.GetUtcNow(), ct)
            : Task.CompletedTask;
}

/// <summary><c>mandate_failed</c>: the mandate was never authorised; the plan purchase fails with its failure_reason.</summary>
public sealed class MandateFailedHandler(MandateSchedule schedule) : ITrueLayerEventHandler
{
    public string EventType => "mandate_failed";

    public Task HandleAsync(JsonObject payload, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        TlJson.Text(payload, "mandate_id") is { } id
            ? schedule.MandateFailedAsync(connection, tx, id, TlJson.Text(payload, "failure_reason"), ct)
            : Task.CompletedTask;
}

/// <summary><c>mandate_revoked</c> (by the user, the bank or us): the plan ends when its last paid month ends.</summary>
public sealed class MandateRevokedHandler(MandateSchedule schedule, TimeProvider time) : ITrueLayerEventHandler
{
    public string EventType => "mandate_revoked";

    public Task HandleAsync(JsonObject payload, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        TlJson.Text(payload, "mandate_id") is { } id
            ? schedule.RevokedAsync(connection, tx, id, TlTimes.Read(payload, "revoked_at") ?? time.GetUtcNow(), ct)
            : Task.CompletedTask;
}

internal static class TlTimes
{
    public static DateTimeOffset? Read(JsonObject payload, string name) =>
        DateTimeOffset.TryParse(TlJson.Text(payload, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}

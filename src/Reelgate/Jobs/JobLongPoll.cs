using System.Globalization;
using System.Text.RegularExpressions;
using Reelgate.Common;

namespace Reelgate.Jobs;

/// <summary>
/// <c>GET /api/v1/job/{id}?wait=N&amp;since=status</c> or <c>Prefer: wait=N</c>: answers when the job's status differs
/// from <c>since</c> (by default the status it has when asked), or after N seconds with the job as it is then.
/// </summary>
public static partial class JobLongPoll
{
    public const int MaxWaitSeconds = 60;

    // A missed NOTIFY (the listener reconnecting) costs at most this long; while it is down, the status is read every second.
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(15);

    public sealed record Request(TimeSpan Wait, string? Since, bool FromPreferHeader);

    /// <summary>The wait asked for, or the validation errors; a <c>Prefer</c> wait past the maximum is shortened, as preferences may be.</summary>
    public static Request? Parse(HttpRequest http, string? wait, string? since, Validator validator)
    {
        if (since is not null && !JobStatus.All.Contains(since)) validator.Add("since", $"must be one of {string.Join(", ", JobStatus.All)}.");
        if (wait is not null)
        {
            if (!int.TryParse(wait, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > MaxWaitSeconds)
            {
                validator.Add("wait", $"must be a whole number of seconds from 0 to {MaxWaitSeconds}.");
                return null;
            }
            return new Request(TimeSpan.FromSeconds(seconds), since, false);
        }
        foreach (var value in http.Headers["Prefer"])
        {
            if (value is not null && PreferWait().Match(value) is { Success: true } match
                && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var preferred))
            {
                return new Request(TimeSpan.FromSeconds(Math.Min(preferred, MaxWaitSeconds)), since, true);
            }
        }
        return null;
    }

    /// <summary>The caller's job once its status differs from the one asked about or the wait is over; null when it is not theirs.</summary>
    public static async Task<JobRecord?> WaitAsync(Guid id, Guid userId, Request request, JobStore jobs, JobStatusSignals signals, TimeProvider clock, CancellationToken ct)
    {
        var deadline = clock.GetUtcNow() + request.Wait;
        var since = request.Since;
        while (true)
        {
            // Watch before reading, so a change committed between the read and the wait still wakes it.
            using var watch = signals.WatchJob(id);
            var job = await jobs.GetAsync(id, userId, ct);
            if (job is null) return null;
            since ??= job.Status;
            var remaining = deadline - clock.GetUtcNow();
            if (job.Status != since || JobStatus.IsFinal(job.Status) || remaining <= TimeSpan.Zero) return job;
            var recheck = signals.Notifications.IsListening ? Recheck : TimeSpan.FromSeconds(1);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            await Task.WhenAny(watch.Changed, Task.Delay(remaining < recheck ? remaining : recheck, clock, stop.Token));
            stop.Cancel();
            ct.ThrowIfCancellationRequested();
        }
    }

    public static void MarkApplied(HttpResponse response, Request request)
    {
        if (request.FromPreferHeader) response.Headers["Preference-Applied"] = $"wait={(int)request.Wait.TotalSeconds}";
        response.Headers.Vary = "Prefer";
    }

    [GeneratedRegex(@"(?:^|[,;\s])wait\s*=\s*""?(\d{1,9})""?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PreferWait();
}

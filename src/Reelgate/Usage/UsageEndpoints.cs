using Reelgate.ApiKeys;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Reelgate.Common;
using Reelgate.Jobs;

namespace Reelgate.Usage;

public static class UsageEndpoints
{
    public const int DefaultDays = 30;
    public const int MaxDays = 366;

    public sealed record AdminJobPage(IReadOnlyList<DirectoryJob> Data, string? NextCursor);

    public static IEndpointRouteBuilder MapUsage(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/usage", GetUsage).WithTags("Usage").RequireAuthorization().RequireScope(Scopes.Billing);
        var admin = routes.MapGroup("/api/v1/admin").WithTags("Admin").RequireAuthorization("admin").RequireScope(Scopes.Admin);
        admin.MapGet("/spend", GetSpend);
        admin.MapGet("/jobs", ListJobs);
        return routes;
    }

    private static async Task<Results<Ok<UsageReport>, ValidationProblem>> GetUsage(
        HttpContext http, UsageReports reports, RequestCounter requests, TimeProvider clock, string? from, string? to, CancellationToken ct)
    {
        var validator = new Validator();
        var (start, end) = ReadRange(validator, from, to, clock);
        if (!validator.IsValid) return Problems.Validation(validator.Errors);
        await requests.FlushAsync(ct);
        return TypedResults.Ok(await reports.ForUserAsync(http.User.UserId(), start, end, ct));
    }

    private static async Task<Results<Ok<SpendReport>, ValidationProblem>> GetSpend(
        UsageReports reports, TimeProvider clock, string? from, string? to, CancellationToken ct)
    {
        var validator = new Validator();
        var (start, end) = ReadRange(validator, from, to, clock);
        if (!validator.IsValid) return Problems.Validation(validator.Errors);
        return TypedResults.Ok(await reports.SpendAsync(start, end, ct));
    }

    private static async Task<Results<Ok<AdminJobPage>, ValidationProblem>> ListJobs(
        AdminDirectory directory, string? status, string? provider, string? user, int? limit, string? cursor, CancellationToken ct)
    {
        var validator = new Validator();
        if (status is not null && !JobStatus.All.Contains(status)) validator.Add("status", $"must be one of {string.Join(", ", JobStatus.All)}.");
        var (size, before) = validator.Page(limit, cursor, 50, 200);
        if (!validator.IsValid) return Problems.Validation(validator.Errors);
        var rows = await directory.JobsAsync(status, provider, user, before, size + 1, ct);
        var page = rows.Take(size).ToList();
        return TypedResults.Ok(new AdminJobPage(page, rows.Count > size ? page[^1].Id.ToString() : null));
    }

    /// <summary>Inclusive UTC days; by default the last <see cref="DefaultDays"/> days up to today.</summary>
    public static (DateOnly From, DateOnly To) ReadRange(Validator validator, string? from, string? to, TimeProvider clock)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var end = ReadDate(validator, "to", to) ?? today;
        var start = ReadDate(validator, "from", from) ?? end.AddDays(1 - DefaultDays);
        if (!validator.IsValid) return (start, end);
        if (start > end) validator.Add("from", "must not be after 'to'.");
        else if (end.DayNumber - start.DayNumber + 1 > MaxDays) validator.Add("to", $"must be at most {MaxDays} days after 'from'.");
        return (start, end);
    }

    private static DateOnly? ReadDate(Validator validator, string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        if (DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return DateOnly.FromDateTime(at.UtcDateTime);
        validator.Add(name, "must be a date (YYYY-MM-DD) or an ISO-8601 time.");
        return null;
    }
}

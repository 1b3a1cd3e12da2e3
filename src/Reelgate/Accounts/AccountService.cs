using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Common;
using Reelgate.Credits;

namespace Reelgate.Accounts;

public abstract record RegisterResult
{
    public sealed record Created(UserRecord User) : RegisterResult;
    public sealed record EmailTaken : RegisterResult;
}

public abstract record LoginResult
{
    public sealed record Success(UserRecord User) : LoginResult;
    public sealed record Invalid : LoginResult;
    public sealed record LockedOut(DateTime Until) : LoginResult;
}

public sealed class AccountService(NpgsqlDataSource db, UserStore users, IPasswordHasher<UserRecord> hasher, IOptions<AccountOptions> options)
{
    private static readonly UserRecord Nobody = new(Guid.Empty, "", "", "user", null, "", 0, null, null, DateTime.MinValue);
    private readonly string _dummyHash = new PasswordHasher<UserRecord>().HashPassword(Nobody, Tokens.RandomBase62(16));

    public static bool IsEmail(string? email) =>
        email is { Length: >= 3 and <= 254 } && email.IndexOf('@') is > 0 and var at && at < email.Length - 1 && !email.Any(char.IsWhiteSpace);

    public async Task<RegisterResult> RegisterAsync(string email, string password, string role, CancellationToken ct)
    {
        var user = new UserRecord(Guid.CreateVersion7(), email.Trim(), "", role, null, Tokens.RandomCode(8), 0, null, null, DateTime.UtcNow);
        user = user with { PasswordHash = hasher.HashPassword(user, password) };
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (!await UserStore.InsertAsync(connection, tx, user, ct)) return new RegisterResult.EmailTaken();
        if (options.Value.SignupCredits > 0)
        {
            await Ledger.ApplyAsync(connection, tx, new LedgerOperation(user.Id, LedgerKinds.Grant, options.Value.SignupCredits, 0,
                $"signup:{user.Id}", Reason: "Signup credit"), ct);
        }
        await tx.CommitAsync(ct);
        return new RegisterResult.Created(user);
    }

    public async Task<LoginResult> LoginAsync(string email, string password, CancellationToken ct)
    {
        var user = await users.FindByEmailAsync(email.Trim(), ct);
        if (user is null || user.DisabledAt is not null)
        {
            hasher.VerifyHashedPassword(Nobody, _dummyHash, password);
            return new LoginResult.Invalid();
        }
        if (user.LockedUntil is { } until && until > DateTime.UtcNow) return new LoginResult.LockedOut(until);

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            await users.RecordFailedLoginAsync(user.Id, options.Value.MaxFailedLogins, options.Value.LockoutDuration, ct);
            return new LoginResult.Invalid();
        }
        await users.ResetFailedLoginsAsync(user.Id, ct);
        return new LoginResult.Success(user);
    }
}

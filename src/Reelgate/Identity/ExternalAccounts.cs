using Dapper;
using Npgsql;
using Reelgate.Accounts;
using Reelgate.Common;

namespace Reelgate.Identity;

public abstract record ExternalSignInResult
{
    public sealed record SignedIn(UserRecord User, bool Created) : ExternalSignInResult;
    /// <summary>The provider did not vouch for the email, and another account already has it.</summary>
    public sealed record EmailTaken(string Email) : ExternalSignInResult;
    /// <summary>The identity already belongs to a different account.</summary>
    public sealed record LinkedElsewhere : ExternalSignInResult;
    public sealed record Disabled : ExternalSignInResult;
    /// <summary>The identity is unknown and accounts are not created for this issuer.</summary>
    public sealed record NotProvisioned : ExternalSignInResult;
}

/// <summary>
/// The linking rules, in one place for browser sign-ins and API tokens: an identity is found by (provider, subject); a
/// new one joins the account with the same email only when the provider says the email is verified; otherwise it gets
/// an account of its own. One transaction, serialised per identity, so two first sign-ins make one account.
/// </summary>
public sealed class ExternalAccounts(NpgsqlDataSource db)
{
    /// <param name="refuseTakenEmail">Browser sign-ins refuse an unverified email another account has; API tokens get an account without the email.</param>
    public async Task<ExternalSignInResult> SignInAsync(ExternalLogin login, bool provision, bool refuseTakenEmail, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await LockAsync(connection, tx, login, ct);
        var result = await SignInAsync(connection, tx, login, provision, refuseTakenEmail, ct);
        if (result is ExternalSignInResult.SignedIn) await tx.CommitAsync(ct);
        return result;
    }

    private static async Task<ExternalSignInResult> SignInAsync(NpgsqlConnection connection, NpgsqlTransaction tx, ExternalLogin login,
        bool provision, bool refuseTakenEmail, CancellationToken ct)
    {
        if (await IdentityStore.FindAsync(connection, tx, login.Provider, login.Subject, ct) is { } known)
        {
            var owner = await FindUserAsync(connection, tx, "id = @id", new { id = known.UserId }, ct);
            if (owner is null || owner.DisabledAt is not null) return new ExternalSignInResult.Disabled();
            await IdentityStore.TouchAsync(connection, tx, known.Id, login, ct);
            return new ExternalSignInResult.SignedIn(owner, false);
        }

        var email = string.IsNullOrWhiteSpace(login.Email) ? null : login.Email.Trim();
        var sameEmail = email is null ? null : await FindUserAsync(connection, tx, "email <> '' AND lower(email) = lower(@email)", new { email }, ct);
        if (sameEmail is not null && login.EmailVerified)
        {
            if (sameEmail.DisabledAt is not null) return new ExternalSignInResult.Disabled();
            await IdentityStore.InsertAsync(connection, tx, sameEmail.Id, login, ct);
            await Audit.WriteAsync(connection, tx, sameEmail.Id, "identity.link", "user", sameEmail.Id.ToString(), new { login.Provider, reason = "verified-email" }, ct);
            return new ExternalSignInResult.SignedIn(sameEmail, false);
        }
        if (sameEmail is not null && refuseTakenEmail) return new ExternalSignInResult.EmailTaken(email!);
        if (!provision) return new ExternalSignInResult.NotProvisioned();

        var user = new UserRecord(Guid.CreateVersion7(), sameEmail is null ? email ?? "" : "", "", "user", null, Tokens.RandomCode(8), 0, null, null, DateTime.UtcNow);
        if (!await UserStore.InsertAsync(connection, tx, user, ct)) return new ExternalSignInResult.EmailTaken(email ?? "");
        await IdentityStore.InsertAsync(connection, tx, user.Id, login, ct);
        return new ExternalSignInResult.SignedIn(user, true);
    }

    /// <summary>A signed-in user adds an identity; they proved both sides, so the email does not matter.</summary>
    public async Task<ExternalSignInResult> LinkAsync(Guid userId, ExternalLogin login, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await LockAsync(connection, tx, login, ct);
        var user = await FindUserAsync(connection, tx, "id = @userId", new { userId }, ct);
        if (user is null || user.DisabledAt is not null) return new ExternalSignInResult.Disabled();
        if (await IdentityStore.FindAsync(connection, tx, login.Provider, login.Subject, ct) is { } known)
        {
            if (known.UserId != userId) return new ExternalSignInResult.LinkedElsewhere();
            await IdentityStore.TouchAsync(connection, tx, known.Id, login, ct);
        }
        else
        {
            await IdentityStore.InsertAsync(connection, tx, userId, login, ct);
            await Audit.WriteAsync(connection, tx, userId, "identity.link", "user", userId.ToString(), new { login.Provider, reason = "signed-in" }, ct);
        }
        await tx.CommitAsync(ct);
        return new ExternalSignInResult.SignedIn(user, false);
    }

    private static Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction tx, ExternalLogin login, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))",
            new { key = $"identity:{login.Provider}\n{login.Subject}" }, tx, cancellationToken: ct));

    private static Task<UserRecord?> FindUserAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string where, object args, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<UserRecord>(new CommandDefinition(
            $"SELECT {UserStore.Columns} FROM users WHERE {where} FOR UPDATE", args, tx, cancellationToken: ct));
}

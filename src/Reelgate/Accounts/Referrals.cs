using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Credits;

namespace Reelgate.Accounts;

/// <summary>
/// A user redeems another user's code once. The redemption is recorded at once and paid once: by default when the
/// referred account's first purchase is fulfilled (so sign-ups alone mint nothing), or at redemption with
/// <c>Referrals:RewardOn=sign-up</c>. Both sides get the configured credits; the referrer only for their first
/// <c>Referrals:RewardCap</c> paid referrals.
/// </summary>
public sealed class Referrals(NpgsqlDataSource db, UserStore users, IOptions<ReferralOptions> options)
{
    public abstract record Lookup
    {
        public sealed record NoCode : Lookup;
        public sealed record Unknown : Lookup;
        public sealed record Found(Guid Referrer) : Lookup;
    }

    /// <summary>Granted: paid at redemption. Pending: paid with the account's first purchase.</summary>
    public enum Outcome { Granted, Pending, OwnCode, UnknownCode, AlreadyRedeemed }

    public decimal Credits => options.Value.Credits;

    public async Task<Lookup> FindReferrerAsync(string? code, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(code)) return new Lookup.NoCode();
        var user = await users.FindByReferralCodeAsync(code.Trim(), ct);
        return user is null ? new Lookup.Unknown() : new Lookup.Found(user.Id);
    }

    public async Task<Outcome> RedeemAsync(Guid redeemerId, string code, CancellationToken ct)
    {
        return await FindReferrerAsync(code, ct) switch
        {
            Lookup.Found found when found.Referrer == redeemerId => Outcome.OwnCode,
            Lookup.Found found => await RedeemAsync(redeemerId, found.Referrer, ct),
            _ => Outcome.UnknownCode,
        };
    }

    public async Task<Outcome> RedeemAsync(Guid redeemerId, Guid referrerId, CancellationToken ct)
    {
        if (redeemerId == referrerId) return Outcome.OwnCode;
        var settings = options.Value;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO referral_redemptions (redeemer_id, referrer_id, credits) VALUES (@redeemerId, @referrerId, @credits)
            ON CONFLICT DO NOTHING
            """, new { redeemerId, referrerId, credits = settings.Credits }, tx, cancellationToken: ct));
        if (inserted == 0) return Outcome.AlreadyRedeemed;
        if (settings.RewardsOnSignUp) await RewardAsync(connection, tx, redeemerId, Reasons.SignUp, ct);
        await tx.CommitAsync(ct);
        return settings.RewardsOnSignUp ? Outcome.Granted : Outcome.Pending;
    }

    /// <summary>
    /// Pays the account's pending referral, if any, in the caller's transaction: Billing calls it when a purchase is
    /// fulfilled. Paying marks the redemption, so a repeated fulfilment pays nothing more.
    /// </summary>
    public Task<bool> RewardPurchaseAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid redeemerId, CancellationToken ct) =>
        RewardAsync(connection, tx, redeemerId, Reasons.Purchase, ct);

    private async Task<bool> RewardAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid redeemerId, Reasons reasons, CancellationToken ct)
    {
        var pending = await connection.QuerySingleOrDefaultAsync<PendingReferral>(new CommandDefinition(
            "SELECT referrer_id, credits FROM referral_redemptions WHERE redeemer_id = @redeemerId AND rewarded_at IS NULL FOR UPDATE",
            new { redeemerId }, tx, cancellationToken: ct));
        if (pending is null) return false;

        // Redeemer's account first, as the purchase's own grant locks it, then the referrer's: counting under the
        // referrer's lock makes concurrent rewards for one referrer see each other, so the cap holds exactly.
        await LockAccountAsync(connection, tx, redeemerId, ct);
        await LockAccountAsync(connection, tx, pending.ReferrerId, ct);
        var paidReferrals = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM referral_redemptions WHERE referrer_id = @ReferrerId AND referrer_credits > 0",
            new { pending.ReferrerId }, tx, cancellationToken: ct));
        var referrerCredits = paidReferrals < options.Value.RewardCap ? pending.Credits : 0m;

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE referral_redemptions SET rewarded_at = now(), referrer_credits = @referrerCredits WHERE redeemer_id = @redeemerId",
            new { redeemerId, referrerCredits }, tx, cancellationToken: ct));
        if (pending.Credits > 0)
        {
            await Ledger.ApplyAsync(connection, tx, new LedgerOperation(redeemerId, LedgerKinds.Referral, pending.Credits, 0,
                $"referral:{redeemerId}:redeemer", Reason: reasons.Redeemer), ct);
        }
        if (referrerCredits > 0)
        {
            await Ledger.ApplyAsync(connection, tx, new LedgerOperation(pending.ReferrerId, LedgerKinds.Referral, referrerCredits, 0,
                $"referral:{redeemerId}:referrer", Reason: reasons.Referrer), ct);
        }
        return true;
    }

    private static Task LockAccountAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid userId, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "SELECT 1 FROM credit_accounts WHERE user_id = @userId FOR UPDATE", new { userId }, tx, cancellationToken: ct));

    private sealed record PendingReferral(Guid ReferrerId, decimal Credits);

    private sealed record Reasons(string Redeemer, string Referrer)
    {
        public static readonly Reasons SignUp = new("Referral code redeemed", "A referred user joined");
        public static readonly Reasons Purchase = new("Referral bonus, paid with a purchase", "A referred user made a purchase");
    }
}

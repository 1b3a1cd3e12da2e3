using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Reelgate.Credits;

namespace Reelgate.Accounts;

public sealed class ReferralOptions
{
    public const string Section = "Referrals";
    /// <summary>Credits each side gets when a code is redeemed.</summary>
    public decimal Credits { get; set; } = 5m;
}

/// <summary>A user redeems another user's code once; both get the configured credits in one transaction.</summary>
public sealed class Referrals(NpgsqlDataSource db, UserStore users, IOptions<ReferralOptions> options)
{
    public abstract record Lookup
    {
        public sealed record NoCode : Lookup;
        public sealed record Unknown : Lookup;
        public sealed record Found(Guid Referrer) : Lookup;
    }

    public enum Outcome { Granted, OwnCode, UnknownCode, AlreadyRedeemed }

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
        var credits = options.Value.Credits;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO referral_redemptions (redeemer_id, referrer_id, credits) VALUES (@redeemerId, @referrerId, @credits)
            ON CONFLICT DO NOTHING
            """, new { redeemerId, referrerId, credits }, tx, cancellationToken: ct));
        if (inserted == 0) return Outcome.AlreadyRedeemed;
        if (credits > 0)
        {
            await Ledger.ApplyAsync(connection, tx, new LedgerOperation(redeemerId, LedgerKinds.Referral, credits, 0,
                $"referral:{redeemerId}:redeemer", Reason: "Referral code redeemed"), ct);
            await Ledger.ApplyAsync(connection, tx, new LedgerOperation(referrerId, LedgerKinds.Referral, credits, 0,
                $"referral:{redeemerId}:referrer", Reason: "A referred user joined"), ct);
        }
        await tx.CommitAsync(ct);
        return Outcome.Granted;
    }
}

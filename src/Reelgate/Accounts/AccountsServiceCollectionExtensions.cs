using Microsoft.AspNetCore.Identity;

namespace Reelgate.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>Users, password hashing, sessions and referrals (sections <c>Accounts</c> and <c>Referrals</c>).</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AccountOptions>(configuration.GetSection(AccountOptions.Section));
        services.AddOptions<ReferralOptions>()
            .Bind(configuration.GetSection(ReferralOptions.Section))
            .Validate(o => o.IsValid,
                $"Referrals:RewardOn must be '{ReferralOptions.OnFirstPurchase}' or '{ReferralOptions.OnSignUp}', Referrals:RewardCap at least 0 and Referrals:Credits at least 0 with at most two decimals.")
            .ValidateOnStart();
        services.AddSingleton<IPasswordHasher<UserRecord>, PasswordHasher<UserRecord>>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<Referrals>();
        services.AddSingleton<Sessions>();
        services.AddSingleton<SessionValidation>();
        return services;
    }
}

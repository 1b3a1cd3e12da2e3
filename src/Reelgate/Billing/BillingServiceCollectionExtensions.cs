using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Reelgate.Billing.TrueLayer;

namespace Reelgate.Billing;

public static class BillingServiceCollectionExtensions
{
    /// <summary>
    /// Registers billing: the catalogue (section <c>Billing</c>), Stripe (section <c>Stripe</c>; env STRIPE_SECRET_KEY,
    /// STRIPE_WEBHOOK_SECRET, STRIPE_PRICE_*) and TrueLayer (section <c>TrueLayer</c>; env TRUELAYER_*), or the sandbox
    /// when neither is set, the webhook handlers, the monthly pay-by-bank scheduler and the subscription credit expiry sweeper. Start-up fails when the sandbox is not allowed. Safe to call twice.
    /// </summary>
    public static IServiceCollection AddBilling(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(BillingCatalog))) return services;
        services.AddOptions<StripeOptions>().Bind(configuration.GetSection(StripeOptions.Section));
        services.AddOptions<TrueLayerOptions>().Bind(configuration.GetSection(TrueLayerOptions.Section));
        services.AddOptions<BillingOptions>()
            .Bind(configuration.GetSection(BillingOptions.Section))
            .PostConfigure<IOptions<StripeOptions>, IOptions<TrueLayerOptions>>((billing, stripe, trueLayer) =>
                billing.ApplyDefaults(!string.IsNullOrWhiteSpace(stripe.Value.SecretKey), trueLayer.Value.IsConfigured))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<BillingOptions>, BillingOptionsValidation>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<BillingCatalog>();
        services.AddSingleton<PaymentStore>();
        services.AddSingleton<BillingCustomers>();
        services.AddSingleton<SubscriptionCredits>();
        services.AddSingleton<PaymentFulfilment>();
        services.AddSingleton<StripeEventProcessor>();
        services.AddSingleton<SandboxCheckout>();
        services.AddTransient<StripeCheckout>();
        services.AddTransient<TrueLayerCheckout>();
        services.AddSingleton<TrueLayerApi>();
        services.AddHttpClient(TrueLayerApi.HttpClientName, (provider, http) => http.Timeout = provider.GetRequiredService<IOptions<TrueLayerOptions>>().Value.Timeout);
        services.TryAddSingleton<TrueLayerJwksAllowlist>();
        services.AddSingleton<TrueLayerWebhookKeys>();
        services.AddHttpClient(TrueLayerWebhookKeys.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<TrueLayerEventProcessor>();
        services.AddSingleton<TrueLayerPayments>();
        services.AddSingleton<TrueLayerStatusReads>();
        services.AddSingleton<TrueLayerRefunds>();
        services.AddSingleton<SubscriptionNotices>();
        services.AddSingleton<MandateSchedule>();
        services.AddSingleton<MandateScheduler>();
        services.AddSingleton<MandateCancellation>();
        services.AddSingleton<ITrueLayerEventHandler, PaymentSettledHandler>();
        services.AddSingleton<ITrueLayerEventHandler, PaymentFailedHandler>();
        services.AddSingleton<ITrueLayerEventHandler, MandateAuthorizedHandler>();
        services.AddSingleton<ITrueLayerEventHandler, MandateFailedHandler>();
        services.AddSingleton<ITrueLayerEventHandler, MandateRevokedHandler>();
        services.AddSingleton<ITrueLayerEventHandler, RefundExecutedHandler>();
        services.AddSingleton<ITrueLayerEventHandler, RefundFailedHandler>();
        services.AddHostedService<MandateSchedulerService>();
        services.AddTransient<Purchases>();
        services.AddSingleton<StripeApi>();
        services.AddHttpClient(StripeApi.HttpClientName, (provider, http) => http.Timeout = provider.GetRequiredService<IOptions<StripeOptions>>().Value.Timeout);

        services.AddSingleton<IStripeEventHandler, CheckoutSessionCompletedHandler>();
        services.AddSingleton<IStripeEventHandler, CheckoutAsyncPaymentSucceededHandler>();
        services.AddSingleton<IStripeEventHandler, CheckoutAsyncPaymentFailedHandler>();
        services.AddSingleton<IStripeEventHandler, InvoicePaidHandler>();
        services.AddSingleton<IStripeEventHandler, SubscriptionUpdatedHandler>();
        services.AddSingleton<IStripeEventHandler, SubscriptionDeletedHandler>();
        services.AddSingleton<IStripeEventHandler, ChargeRefundedHandler>();

        services.AddHostedService<SubscriptionCreditSweeper>();
        return services;
    }
}

/// <summary>Refuses to start with a provider that cannot work, or with the sandbox where it is not allowed.</summary>
public sealed class BillingOptionsValidation(IHostEnvironment environment, IOptions<StripeOptions> stripe, IOptions<TrueLayerOptions> trueLayer)
    : IValidateOptions<BillingOptions>
{
    public ValidateOptionsResult Validate(string? name, BillingOptions options)
    {
        var failures = new List<string>();
        if (options.Provider == BillingOptions.Sandbox)
        {
            if (!(options.AllowSandbox ?? !environment.IsProduction()))
            {
                failures.Add("Billing would use the sandbox provider, which grants credits without taking money, and it is not allowed here "
                    + $"(environment {environment.EnvironmentName}, Billing:AllowSandbox={(options.AllowSandbox?.ToString() ?? "unset")}). "
                    + "Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET to take real payments, or set BILLING_ALLOW_SANDBOX=true (Billing:AllowSandbox) to run the sandbox deliberately.");
            }
        }
        else if (options.Provider == BillingOptions.Stripe)
        {
            if (string.IsNullOrWhiteSpace(stripe.Value.SecretKey)) failures.Add("Billing:Provider is stripe but STRIPE_SECRET_KEY (Stripe:SecretKey) is not set.");
            if (string.IsNullOrWhiteSpace(stripe.Value.WebhookSecret)) failures.Add("STRIPE_WEBHOOK_SECRET (Stripe:WebhookSecret) is required with Stripe: without it no payment is ever confirmed.");
        }
        else if (options.Provider != BillingOptions.TrueLayer)
        {
            failures.Add($"Billing:Provider '{options.Provider}' is unknown; use stripe, truelayer or sandbox.");
        }
        if (options.Provider == BillingOptions.TrueLayer || trueLayer.Value.IsPartlyConfigured) failures.AddRange(TrueLayerOptionsCheck.Failures(trueLayer.Value));
        if (options.RolloverMonths < 1) failures.Add("Billing:RolloverMonths must be at least 1.");
        foreach (var (id, pack) in options.Packs)
        {
            if (pack.Credits <= 0 || pack.Price <= 0) failures.Add($"Billing:Packs:{id} needs positive Credits and Price.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Reelgate.Billing.TrueLayer;

/// <summary>
/// Pay by bank. A pack is a single payment into our merchant account; a plan is a commercial VRP mandate whose
/// monthly limit is the plan's price, aligned to the consent date so the first month is not pro-rated. Either way
/// the buyer goes to TrueLayer's hosted page with the id, resource token and return URI in the fragment, and comes
/// back to a page that only follows progress: credits come from webhooks and status reads.
/// </summary>
public sealed class TrueLayerCheckout(TrueLayerApi api, NpgsqlDataSource db, BillingCatalog catalog, IOptions<TrueLayerOptions> options) : ICheckoutProvider
{
    public async Task<CheckoutResult> OpenAsync(CheckoutRequest request, CancellationToken ct)
    {
        var settings = options.Value;
        var returnUri = $"{request.BaseUrl}/billing/payments/{request.PaymentId}";
        var currency = catalog.TrueLayerCurrency.ToUpperInvariant();
        var metadata = new JsonObject { ["payment_id"] = request.PaymentId.ToString(), ["user_id"] = request.UserId.ToString() };
        var user = new JsonObject { ["id"] = request.UserId.ToString(), ["email"] = request.Email };
        var beneficiary = new JsonObject { ["type"] = "merchant_account", ["merchant_account_id"] = settings.MerchantAccountId };
        if (request.Pack is { } pack)
        {
            var charge = catalog.PriceOf(BillingOptions.TrueLayer, pack.Price, pack.Currency, pack.MinorPrices);
            var body = new JsonObject
            {
                ["amount_in_minor"] = charge.MinorAmount,
                ["currency"] = currency,
                ["payment_method"] = new JsonObject
                {
                    ["type"] = "bank_transfer",
                    ["provider_selection"] = new JsonObject { ["type"] = "user_selected" },
                    ["beneficiary"] = beneficiary,
                },
                ["user"] = user,
                ["metadata"] = metadata,
            };
            var created = await api.PostAsync("/v3/payments", body, request.PaymentId.ToString(), TrueLayerApi.PaymentsScope, ct);
            if (Created(created) is not var (id, token)) return new CheckoutResult.Failed(created.Describe());
            await SetAsync("UPDATE payments SET truelayer_payment_id = @id WHERE id = @paymentId", new { id, paymentId = request.PaymentId }, ct);
            return new CheckoutResult.Opened(Link("payments", "payment_id", id, token, returnUri), null);
        }

        var plan = request.Plan!;
        var monthly = catalog.PriceOf(BillingOptions.TrueLayer, plan.Price, plan.Currency, plan.MinorPrices).MinorAmount;
        var mandate = new JsonObject
        {
            ["mandate"] = new JsonObject
            {
                ["type"] = "commercial",
                ["provider_selection"] = new JsonObject { ["type"] = "user_selected" },
                ["beneficiary"] = beneficiary,
            },
            ["currency"] = currency,
            ["constraints"] = new JsonObject
            {
                ["maximum_individual_amount"] = monthly,
                ["periodic_limits"] = new JsonObject { ["month"] = new JsonObject { ["maximum_amount"] = monthly, ["period_alignment"] = "consent" } },
            },
            ["user"] = user,
            ["metadata"] = metadata,
        };
        var opened = await api.PostAsync("/v3/mandates", mandate, request.PaymentId.ToString(), TrueLayerApi.MandatesScope, ct);
        if (Created(opened) is not var (mandateId, resourceToken)) return new CheckoutResult.Failed(opened.Describe());
        await SetAsync("""
            INSERT INTO truelayer_mandates (id, user_id, plan, payment_id, currency, amount_minor) VALUES (@mandateId, @UserId, @planId, @PaymentId, @currency, @monthly)
            ON CONFLICT (id) DO NOTHING;
            UPDATE payments SET mandate_id = @mandateId WHERE id = @PaymentId;
            """, new { mandateId, request.UserId, planId = plan.Id, request.PaymentId, currency = catalog.TrueLayerCurrency, monthly }, ct);
        return new CheckoutResult.Opened(Link("mandates", "mandate_id", mandateId, resourceToken, returnUri), null);
    }

    private static (string Id, string ResourceToken)? Created(TlResult result) =>
        result is TlResult.Ok { Body: var body } && body["id"]?.GetValue<string>() is { Length: > 0 } id
            && body["resource_token"]?.GetValue<string>() is { Length: > 0 } token
            ? (id, token)
            : null;

    private string Link(string page, string idName, string id, string token, string returnUri) =>
        $"{options.Value.PaymentPage}/{page}#{idName}={Uri.EscapeDataString(id)}&resource_token={Uri.EscapeDataString(token)}&return_uri={Uri.EscapeDataString(returnUri)}";

    private async Task SetAsync(string sql, object parameters, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: ct));
    }
}

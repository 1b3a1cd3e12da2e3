using System.Text.RegularExpressions;
using Reelgate.BrowserTests.Support;
using static Microsoft.Playwright.Assertions;

namespace Reelgate.BrowserTests;

public sealed partial class WebAppTests
{
    [Fact]
    public async Task SandboxPack_BoughtFromTheBillingPage_AddsItsCreditsAndIsListedAsPaid()
    {
        var (page, _) = await app.SignUpAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Billing" }).ClickAsync();
        await Expect(page.GetByTestId("billing-available")).ToHaveTextAsync("0.00");
        await Expect(page.GetByText("No payments yet")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Buy 50 credits" }).ClickAsync();
        await page.WaitForURLAsync(SandboxCheckoutUrl());
        await Expect(page.GetByText("TEST MODE")).ToBeVisibleAsync();
        await WebApp.ScreenshotAsync(page, "billing-sandbox-checkout");
        await page.GetByRole(AriaRole.Button, new() { Name = "Complete test payment" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to billing" }).ClickAsync();

        await Expect(page.GetByTestId("billing-available")).ToHaveTextAsync("50.00");
        var payment = page.GetByTestId("payments").Locator("tbody tr");
        await Expect(payment).ToHaveCountAsync(1);
        await Expect(payment).ToContainTextAsync("credits-50");
        await Expect(payment).ToContainTextAsync("8.00 USD");
        await Expect(payment.Locator(".badge")).ToHaveTextAsync("paid");
        await Expect(page.GetByTestId("ledger").Locator("tbody tr").First).ToContainTextAsync("purchase");
        await WebApp.ScreenshotAsync(page, "billing");

        await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await Expect(page.GetByTestId("credits-available")).ToHaveTextAsync("50.00");
    }

    [Fact]
    public async Task SandboxPlan_ChosenThenCancelled_ShowsOnTheBillingPage()
    {
        var (page, _) = await app.SignUpAsync();
        await page.GotoAsync("/billing");

        await page.GetByRole(AriaRole.Button, new() { Name = "Choose the Starter plan" }).ClickAsync();
        await page.WaitForURLAsync(SandboxCheckoutUrl());
        await page.GetByRole(AriaRole.Button, new() { Name = "Complete test payment" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to billing" }).ClickAsync();
        await Expect(page.GetByTestId("billing-plan")).ToHaveTextAsync("Starter");
        await Expect(page.GetByTestId("billing-available")).ToHaveTextAsync("80.00");

        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel plan" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "cancelled" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("billing-plan")).ToHaveTextAsync("Pay as you go");
        await Expect(page.GetByTestId("billing-available")).ToHaveTextAsync("80.00");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Choose the Starter plan" })).ToBeVisibleAsync();
    }

    [GeneratedRegex(@"/billing/sandbox/checkout/[0-9a-f-]{36}$")]
    private static partial Regex SandboxCheckoutUrl();
}

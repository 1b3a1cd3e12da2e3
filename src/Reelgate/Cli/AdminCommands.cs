using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Reelgate.Accounts;
using Reelgate.ApiKeys;
using Reelgate.Common;
using Reelgate.Credits;

namespace Reelgate.Cli;

/// <summary>Operator commands on the same binary: users, keys and credit grants.</summary>
public static class AdminCommands
{
    public static async Task<int> RunAsync(string? verb, CliArgs args, IServiceProvider services)
    {
        try
        {
            return verb switch
            {
                "create-user" => await CreateUserAsync(args, services),
                "create-key" => await CreateKeyAsync(args, services),
                "grant" => await GrantAsync(args, services),
                "seed-demo" => await SeedDemoAsync(args, services),
                _ => Fail($"Unknown admin command '{verb}'. Use create-user, create-key, grant or seed-demo."),
            };
        }
        catch (ArgumentException ex)
        {
            return Fail(ex.Message);
        }
    }

    private static async Task<int> CreateUserAsync(CliArgs args, IServiceProvider services)
    {
        var email = args.Require("email");
        var password = args.Require("password");
        if (!AccountService.IsEmail(email)) return Fail("--email must be an email address.");
        var minimum = services.GetRequiredService<IOptions<AccountOptions>>().Value.MinPasswordLength;
        if (password.Length < minimum) return Fail($"--password must be at least {minimum} characters.");
        var result = await services.GetRequiredService<AccountService>().RegisterAsync(email, password, args.Has("admin") ? "admin" : "user", CancellationToken.None);
        if (result is not RegisterResult.Created created) return Fail($"A user with email {email} already exists.");
        Console.WriteLine($"Created {(args.Has("admin") ? "admin" : "user")} {created.User.Email} ({created.User.Id}).");
        if (args.Get("credits") is { } credits) await GrantAsync(services, created.User.Id, ParseCredits(credits, "Initial credits"), "Initial credits", null);
        return 0;
    }

    private static async Task<int> CreateKeyAsync(CliArgs args, IServiceProvider services)
    {
        var user = await FindUserAsync(services, args.Require("email"));
        if (user is null) return Fail("No such user.");
        var (_, key) = await services.GetRequiredService<ApiKeyStore>().CreateAsync(user.Id, new KeySpec(args.Get("name") ?? "cli", Scopes.For(user.Role)), CancellationToken.None);
        Console.WriteLine(key);
        return 0;
    }

    private static async Task<int> GrantAsync(CliArgs args, IServiceProvider services)
    {
        var user = await FindUserAsync(services, args.Require("email"));
        if (user is null) return Fail("No such user.");
        return await GrantAsync(services, user.Id, ParseCredits(args.Require("credits"), args.Require("reason")), args.Require("reason"), null);
    }

    /// <summary>Creates the demo admin with 100 credits and a key the first time; later runs only report.</summary>
    private static async Task<int> SeedDemoAsync(CliArgs args, IServiceProvider services)
    {
        var output = args.Require("out");
        if (File.Exists(output))
        {
            var existing = JsonSerializer.Deserialize<DemoAccount>(await File.ReadAllTextAsync(output), Json.Options);
            if (existing is not null && await FindUserAsync(services, existing.Email) is not null)
            {
                Console.WriteLine($"Demo account: {existing.Email} (credentials in {output})");
                return 0;
            }
        }
        var email = args.Get("email") ?? "demo@reelgate.local";
        var password = Tokens.RandomBase62(16);
        var accounts = services.GetRequiredService<AccountService>();
        if (await accounts.RegisterAsync(email, password, "admin", CancellationToken.None) is not RegisterResult.Created created)
        {
            return Fail($"{email} exists but {output} does not hold its credentials; remove the user or the database to reseed.");
        }
        await services.GetRequiredService<CreditAdjustments>().AdjustAsync(created.User.Id, 100m, "Demo account credits", null, LedgerKinds.Grant, $"demo:{created.User.Id}", CancellationToken.None);
        var (_, key) = await services.GetRequiredService<ApiKeyStore>().CreateAsync(created.User.Id, new KeySpec("demo", Scopes.Default), CancellationToken.None);
        var demo = new DemoAccount(email, password, key);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(demo, Json.Options));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(output, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Console.WriteLine($"""
            Demo account created (admin, 100 credits):
              email:    {email}
              password: {password}
              API key:  {key}
            Saved to {output}.
            """);
        return 0;
    }

    private static async Task<int> GrantAsync(IServiceProvider services, Guid userId, decimal credits, string reason, Guid? actor)
    {
        var result = await services.GetRequiredService<CreditAdjustments>().AdjustAsync(userId, credits, reason,
            actor, credits > 0 ? LedgerKinds.Grant : LedgerKinds.Adjustment, null, CancellationToken.None);
        if (result is LedgerResult.Applied { Entry: var entry })
        {
            Console.WriteLine($"Granted {credits:0.00} credits; available {entry.AvailableAfter:0.00}.");
            return 0;
        }
        return Fail(result is LedgerResult.Insufficient i ? $"Only {i.Available:0.00} credits are available." : "Nothing changed.");
    }

    /// <summary>The same rules as the admin API's adjustments, so the CLI cannot grant what the API would refuse.</summary>
    private static decimal ParseCredits(string value, string reason)
    {
        decimal? amount = decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        var validator = AdjustmentRules.Check(amount, reason);
        return validator.IsValid
            ? amount!.Value
            : throw new ArgumentException(string.Join(" ", validator.Errors.Select(e => $"--{(e.Key == "amount" ? "credits" : e.Key)} {string.Join(" ", e.Value)}")));
    }

    private static Task<UserRecord?> FindUserAsync(IServiceProvider services, string email) =>
        services.GetRequiredService<UserStore>().FindByEmailAsync(email, CancellationToken.None);

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 1;
    }

    private sealed record DemoAccount(string Email, string Password, string ApiKey);
}

using Npgsql;
using Reelgate.Tests.Storage;
using Reelgate.Tests.Support;

namespace Reelgate.Tests.Operations;

/// <summary>The real process started with one misconfiguration each: exit code 2 and one paragraph naming the setting.</summary>
public sealed class StartupErrorTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    public static TheoryData<string, string> Misconfigurations => new()
    {
        { "sandbox-in-production", "Billing would use the sandbox provider" },
        { "s3-without-bucket", "Storage provider 's3' needs a bucket: set S3_BUCKET" },
        { "s3-bucket-missing", "does not exist at" },
        { "database-unreachable", "did not answer within 1 s (Connection refused): check DATABASE_URL" },
        { "database-wrong-password", "refused the login (password authentication failed" },
        { "database-not-migrated", "run 'Reelgate migrate'" },
        { "signing-key-empty", "is empty: delete it to have a new key made, or set Storage:SigningKey" },
        { "log-format-unknown", "LOG_FORMAT=xml is not a log format" },
        { "rate-limit-zero", "RateLimit:Requests, RateLimit:ReadRequests and RateLimit:WindowSeconds need to be at least 1" },
    };

    [Theory]
    [MemberData(nameof(Misconfigurations))]
    public async Task Misconfiguration_ExitsWithCode2_AndOneSentenceOnStderr(string misconfiguration, string sentence)
    {
        var exited = await ReelgateProcess.RunUntilExitAsync(db.ConnectionString, Settings(misconfiguration));

        var paragraph = exited.Errors.Trim();
        Assert.True(exited.ExitCode == 2, $"exit code {exited.ExitCode}\n{exited.Errors}\n{exited.Output}");
        Assert.StartsWith("Reelgate cannot start: ", paragraph);
        Assert.Contains(sentence, paragraph);
        Assert.DoesNotContain('\n', paragraph);
        Assert.DoesNotContain("Exception", exited.Errors + exited.Output);
    }

    private Dictionary<string, string> Settings(string misconfiguration)
    {
        var password = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Password = "not-the-password" }.ConnectionString;
        return misconfiguration switch
        {
            "sandbox-in-production" => new() { ["BILLING_ALLOW_SANDBOX"] = "false" },
            "s3-without-bucket" => new() { ["STORAGE_PROVIDER"] = "s3" },
            "s3-bucket-missing" => new()
            {
                ["STORAGE_PROVIDER"] = "s3", ["S3_ENDPOINT"] = TestS3.Endpoint, ["S3_BUCKET"] = $"missing-{Guid.NewGuid():N}",
                ["S3_ACCESS_KEY_ID"] = "S3RVER", ["S3_SECRET_ACCESS_KEY"] = "S3RVER",
            },
            "database-unreachable" => new() { ["DATABASE_URL"] = "postgres://reelgate:x@127.0.0.1:1/reelgate", ["Database__StartTimeoutSeconds"] = "1" },
            "database-wrong-password" => new() { ["DATABASE_URL"] = password },
            "database-not-migrated" => new() { ["DATABASE_URL"] = TestDatabase.For("postgres") },
            "signing-key-empty" => new() { ["Storage__SigningKeyPath"] = EmptyFile() },
            "log-format-unknown" => new() { ["LOG_FORMAT"] = "xml" },
            "rate-limit-zero" => new() { ["RATE_LIMIT_REQUESTS"] = "0" },
            _ => throw new ArgumentOutOfRangeException(nameof(misconfiguration), misconfiguration, null),
        };
    }

    private static string EmptyFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "reelgate-tests", $"{Guid.NewGuid():N}.key");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        return path;
    }
}

using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Reelgate.Fetch;
using Reelgate.Storage;

namespace Reelgate.Bench.Transfer;

/// <summary>
/// Runs one <see cref="StorageTransfer.CopyFromUrlAsync"/> with storage and fetch settings from the environment
/// (STORAGE_PROVIDER, S3_*, Fetch__*), and prints what it cost as key=value lines.
/// Usage: transfer-runner --url URL --key KEY
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["--url", var url, "--key", var key])
        {
            await Console.Error.WriteLineAsync("usage: transfer-runner --url URL --key KEY");
            return 2;
        }
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        await using var services = new ServiceCollection().AddFetch(configuration).AddStorage(configuration).BuildServiceProvider();
        var store = services.GetRequiredService<IObjectStore>();
        var transfer = services.GetRequiredService<StorageTransfer>();

        // One request first starts the store's client; uploading is left to the transfer, so its buffers and first-use
        // code count in the figures.
        if (!await store.CheckHealthAsync())
        {
            await Console.Error.WriteLineAsync("the store is not reachable");
            return 1;
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        ProcessMemory.ResetPeak();
        var before = ProcessMemory.ResidentKiB();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var stored = await transfer.CopyFromUrlAsync(new Uri(url), key);
        clock.Stop();
        var peak = ProcessMemory.PeakKiB();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        var seconds = clock.Elapsed.TotalSeconds;
        Print("bytes", stored.Length);
        Print("seconds", seconds);
        Print("mb_per_s", stored.Length / 1e6 / seconds);
        Print("rss_before_kib", before);
        Print("rss_peak_kib", peak);
        Print("rss_growth_kib", peak - before);
        Print("allocated_mib", allocated / 1048576.0);
        Print("gen2_collections", GC.CollectionCount(2));
        Console.WriteLine($"sha256={stored.Sha256}");
        Console.WriteLine($"content_type={stored.ContentType}");
        return 0;
    }

    private static void Print(string name, double value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}={value:0.###}"));
}

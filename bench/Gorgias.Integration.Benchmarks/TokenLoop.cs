using System.Diagnostics;
using Gorgias.Integration.Application.Tokens;
using Gorgias.Integration.Benchmarks.Support;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Benchmarks;

/// <summary>
/// <see cref="IGorgiasAccessTokenProvider.GetAccessTokenAsync"/> on a valid cached token in a loop for a number of
/// seconds, so that a profiler attached to this process (<c>dotnet-trace collect -p</c>) sees nothing else. Prints the
/// mean cost and the bytes allocated per call.
/// </summary>
internal static class TokenLoop
{
    public static async Task<int> RunAsync(TimeSpan duration)
    {
        using var storage = new BenchStorage();
        await using var core = Composition.BuildCore(storage, new FakeAuthorizationServer(TimeProvider.System));
        await Composition.InstallAsync(core, "acme");
        var provider = core.GetRequiredService<IGorgiasAccessTokenProvider>();
        var account = AccountName.Parse("acme");
        _ = await provider.GetAccessTokenAsync(account);
        Console.WriteLine($"process {Environment.ProcessId}: calling GetAccessTokenAsync for {duration.TotalSeconds:F0} s");

        long calls = 0, length = 0;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            for (var i = 0; i < 100_000; i++)
            {
                var pending = provider.GetAccessTokenAsync(account);
                length += pending.IsCompletedSuccessfully ? pending.Result.Value.Length : (await pending).Value.Length;
            }

            calls += 100_000;
        }

        Console.WriteLine($"{calls} calls: {clock.Elapsed.TotalNanoseconds / calls:F1} ns, " +
            $"{(double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / calls:F2} B per call (checksum {length % 10})");
        return 0;
    }
}

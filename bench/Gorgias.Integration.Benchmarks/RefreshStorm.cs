using System.Diagnostics;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Application.Tokens;
using Gorgias.Integration.Benchmarks.Support;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Gorgias.Integration.Benchmarks;

/// <summary>
/// <c>--refresh-storm</c>: 1,000 concurrent <see cref="IGorgiasAccessTokenProvider.GetAccessTokenAsync"/> calls for one
/// account whose token has just entered the refresh margin. Exactly one refresh must reach the authorization server
/// and every caller must get the new token. Reports each caller's latency (p50, p99, max) over several rounds, with a
/// token endpoint answering at once and one taking 50 ms (a realistic round trip to Gorgias).
/// </summary>
internal static class RefreshStorm
{
    private const int Callers = 1_000;
    private const int Rounds = 5;

    public static async Task<int> RunAsync()
    {
        Console.WriteLine($"Refresh storm: {Callers} concurrent GetAccessTokenAsync at expiry, {Rounds} rounds per endpoint delay");
        Console.WriteLine($"{"delay",6} {"round",5} {"refreshes",9} {"tokens",6} {"p50 µs",9} {"p99 µs",9} {"max µs",9} {"wall ms",8}");
        var failures = 0;
        foreach (var delay in new[] { TimeSpan.Zero, TimeSpan.FromMilliseconds(50) })
        {
            using var storage = new BenchStorage();
            var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
            var server = new FakeAuthorizationServer(clock) { RefreshDelay = delay };
            await using var services = Composition.BuildCore(storage, server, clock);
            await Composition.InstallAsync(services, "acme");
            var provider = services.GetRequiredService<IGorgiasAccessTokenProvider>();
            var margin = services.GetRequiredService<IOptions<GorgiasOptions>>().Value.RefreshBeforeExpiry;
            var account = AccountName.Parse("acme");
            await provider.GetAccessTokenAsync(account); // cached, like a running app's

            for (var round = 1; round <= Rounds; round++)
            {
                var stored = await services.GetRequiredService<ITokenSetRepository>().FindAsync(account, CancellationToken.None);
                clock.SetUtcNow(stored!.ExpiresAt - margin + TimeSpan.FromSeconds(1)); // inside the margin: must refresh
                server.ResetCounts();

                var result = await StormAsync(provider, account);
                var refreshed = result.Tokens.Count == 1 && result.Tokens.Single() != stored.AccessToken;
                var ok = server.Refreshes == 1 && refreshed;
                failures += ok ? 0 : 1;
                Array.Sort(result.LatenciesUs);
                Console.WriteLine($"{delay.TotalMilliseconds,4}ms {round,5} {server.Refreshes,9} {result.Tokens.Count,6} " +
                    $"{Percentile(result.LatenciesUs, 0.50),9:F0} {Percentile(result.LatenciesUs, 0.99),9:F0} {result.LatenciesUs[^1],9:F0} " +
                    $"{result.WallMs,8:F1}{(round == 1 ? "  (cold: first refresh in the process, JIT)" : "")}{(ok ? "" : "  FAILED: expected one refresh and one new token")}");
            }
        }

        Console.WriteLine(failures == 0 ? "every round: exactly one refresh, every caller got the new token" : $"{failures} round(s) FAILED");
        return failures == 0 ? 0 : 1;
    }

    private static async Task<(double[] LatenciesUs, HashSet<string> Tokens, double WallMs)> StormAsync(IGorgiasAccessTokenProvider provider, AccountName account)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var latencies = new double[Callers];
        var tokens = new string[Callers];
        var callers = new Task[Callers];
        for (var i = 0; i < Callers; i++)
        {
            var index = i;
            callers[i] = Task.Run(async () =>
            {
                await gate.Task;
                var started = Stopwatch.GetTimestamp();
                var token = await provider.GetAccessTokenAsync(account);
                latencies[index] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                tokens[index] = token.Value;
            });
        }

        await Task.Delay(100); // every caller is parked on the gate
        var wall = Stopwatch.StartNew();
        gate.SetResult();
        await Task.WhenAll(callers);
        wall.Stop();
        return (latencies, [.. tokens], wall.Elapsed.TotalMilliseconds);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

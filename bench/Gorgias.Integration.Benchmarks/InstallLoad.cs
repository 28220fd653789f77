using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Gorgias.Integration.Benchmarks;

/// <summary>
/// A bounded loopback load of <c>GET /oauth/install</c> against a Host that runs as its own process (so that
/// <c>dotnet-trace</c> or <c>dotnet-counters</c> can watch that process alone): <c>requests</c> starts from
/// <c>clients</c> concurrent clients, each a browser without a cookie, accounts <c>load-0</c> … cycling through 1,000.
/// Prints throughput and latency; exits 1 when any answer was not a 302.
/// </summary>
internal static class InstallLoad
{
    public static async Task<int> RunAsync(Uri host, int requests, int clients)
    {
#pragma warning disable CA2000 // the client owns the handler
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = clients });
#pragma warning restore CA2000
        var latencies = new ConcurrentBag<double>();
        var failures = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < requests; i = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(new Uri(host, $"/oauth/install?account=load-{i % 1_000}"), HttpCompletionOption.ResponseHeadersRead);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.Redirect)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })));
        var elapsed = clock.Elapsed;
        var sorted = latencies.Order().ToArray();
        Console.WriteLine($"{requests} × GET /oauth/install, {clients} clients: {requests / elapsed.TotalSeconds:F0} /s, " +
            $"p50 {sorted[sorted.Length / 2]:F2} ms, p99 {sorted[(int)(sorted.Length * 0.99)]:F2} ms, max {sorted[^1]:F2} ms, non-302 {failures}");
        return failures == 0 ? 0 : 1;
    }
}

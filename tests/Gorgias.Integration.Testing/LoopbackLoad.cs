using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Gorgias.Integration.Testing;

/// <summary>
/// What a bounded loopback load got back: how long it took, each operation's latency in milliseconds (sorted) and its
/// status code. Shared by <c>LoadTests</c> and the benchmark's flow and multi-instance runs.
/// </summary>
public sealed record LoopbackLoad(TimeSpan Elapsed, IReadOnlyList<double> Latencies, IReadOnlyList<HttpStatusCode> Statuses)
{
    /// <summary>Operations per second over the whole run.</summary>
    public double PerSecond => Latencies.Count / Elapsed.TotalSeconds;

    /// <summary>How many operations ended with <paramref name="status"/>.</summary>
    public int CountOf(HttpStatusCode status) => Statuses.Count(s => s == status);

    /// <summary>The nearest-rank percentile <paramref name="p"/> (0 to 1) of the latencies.</summary>
    public double Percentile(double p) => FleetBurst.Percentile(Latencies, p);

    /// <summary>
    /// Operations 0 … <paramref name="count"/> − 1 from <paramref name="clients"/> concurrent browsers, each taking the
    /// next number as soon as its last operation is answered.
    /// </summary>
    public static async Task<LoopbackLoad> RunAsync(HttpClient http, int count, int clients, Func<LoopbackBrowser, int, Task<HttpStatusCode>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var latencies = new List<double>(count);
        var statuses = new List<HttpStatusCode>(count);
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            var browser = new LoopbackBrowser(http);
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                var status = await operation(browser, i);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (latencies)
                {
                    latencies.Add(ms);
                    statuses.Add(status);
                }
            }
        })));
        var elapsed = clock.Elapsed;
        latencies.Sort();
        return new LoopbackLoad(elapsed, latencies, statuses);
    }

    /// <summary>
    /// <paramref name="count"/> whole install flows (start, sandbox consent, callback); flow i installs
    /// <c>{prefix}-{i}</c> on host i modulo the number of hosts.
    /// </summary>
    public static Task<LoopbackLoad> InstallAsync(HttpClient http, IReadOnlyList<Uri> hosts, string prefix, int count, int clients) =>
        RunAsync(http, count, clients, (browser, i) => browser.InstallAsync(hosts[i % hosts.Count], string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i}")));
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using Gorgias.Integration.Testing;

namespace Gorgias.Integration.Benchmarks.Support;

/// <summary>What a run of whole install flows got: how many installed, how long the run took, each flow's latency (sorted).</summary>
internal sealed record InstallFlowRun(int Ok, int Count, double Seconds, List<double> Latencies)
{
    public int Failed => Count - Ok;

    /// <summary>
    /// <paramref name="count"/> whole flows (start, sandbox consent, callback) from <paramref name="clients"/> concurrent
    /// browsers; flow i installs <c>{prefix}-{i}</c> on host i modulo the number of hosts.
    /// </summary>
    public static async Task<InstallFlowRun> RunAsync(IReadOnlyList<Uri> hosts, HttpClient http, string prefix, int count, int clients)
    {
        var latencies = new List<double>(count);
        var ok = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            var browser = new LoopbackBrowser(http);
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                var status = await browser.InstallAsync(hosts[i % hosts.Count], string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i}"));
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (latencies)
                {
                    latencies.Add(ms);
                    ok += status == HttpStatusCode.OK ? 1 : 0;
                }
            }
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        latencies.Sort();
        return new InstallFlowRun(ok, count, seconds, latencies);
    }
}

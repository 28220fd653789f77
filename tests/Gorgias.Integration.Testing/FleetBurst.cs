using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Gorgias.Integration.Testing;

/// <summary>What a burst of concurrent admin calls spread over a <see cref="HostFleet"/> got back.</summary>
/// <param name="Statuses">Each call's instance and status (0 when the connection failed, e.g. the instance was killed).</param>
/// <param name="OkLatencies">The latencies of the calls answered 200, in milliseconds, sorted.</param>
public sealed record FleetBurst(IReadOnlyList<(int Host, HttpStatusCode Status)> Statuses, IReadOnlyList<double> OkLatencies)
{
    /// <summary>How many calls were answered 200.</summary>
    public int Ok => OkLatencies.Count;

    /// <summary>The nearest-rank percentile <paramref name="p"/> (0 to 1) of the 200 latencies, NaN when there were none.</summary>
    public double Percentile(double p) => Percentile(OkLatencies, p);

    /// <summary>The nearest-rank percentile <paramref name="p"/> (0 to 1) of <paramref name="sorted"/>, NaN when empty.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>
    /// <paramref name="calls"/> concurrent GETs of <paramref name="path"/>, call i to instance i modulo the fleet size,
    /// released together; when <paramref name="killLastAfter"/> is set, the last instance is SIGKILLed once that many
    /// calls have been answered.
    /// </summary>
    public static async Task<FleetBurst> RunAsync(HostFleet fleet, HttpClient http, string path, int calls, int? killLastAfter = null)
    {
        var results = new ConcurrentBag<(int Host, HttpStatusCode Status, double Ms)>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = 0;
        Task? kill = null;
        var tasks = Enumerable.Range(0, calls).Select(i => Task.Run(async () =>
        {
            var host = i % fleet.Hosts.Count;
            await start.Task;
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await fleet.AdminAsync(http, HttpMethod.Get, host, path);
                results.Add((host, response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                results.Add((host, 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
            }

            if (Interlocked.Increment(ref done) == killLastAfter)
            {
                kill = fleet.Hosts[^1].KillAsync();
            }
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(tasks);
        if (kill is not null)
        {
            await kill;
        }

        return new FleetBurst(
            [.. results.Select(r => (r.Host, r.Status))],
            [.. results.Where(r => r.Status == HttpStatusCode.OK).Select(r => r.Ms).Order()]);
    }
}

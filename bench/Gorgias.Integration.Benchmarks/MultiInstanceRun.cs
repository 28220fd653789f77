using System.Diagnostics;
using System.Globalization;
using System.Net;
using Gorgias.Integration.Testing;

namespace Gorgias.Integration.Benchmarks;

/// <summary>
/// <c>--multi-instance</c>: real Host processes (<see cref="HostFleet"/>) behind one loopback sandbox that rotates
/// refresh tokens and revokes the grant on reuse, on a shared SQLite file or one PostgreSQL database (needs
/// GORGIAS_TEST_POSTGRES). Prints installs per second, the 1,000-caller refresh storm over 3 instances, and how long
/// an uninstall on one instance takes to be refused by another. Exits 1 when a count is wrong (a storm round with other
/// than one refresh or a failed call, a failed install), never on a timing.
/// </summary>
internal static class MultiInstanceRun
{
    private const int Clients = 16;
    private const int Installs = 300;
    private const int WarmInstalls = 30;
    private const int StormCallers = 1_000;
    private const int StormRounds = 3;
    private const int UninstallRuns = 100;
    private const string AccountPath = "/installations/{0}/gorgias/account";

    public static async Task<int> RunAsync()
    {
        Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()} ({Environment.ProcessorCount} cores)");
        await using var sandbox = await SandboxServer.StartAsync("process-client", "process-secret-not-real", configure: o =>
        {
            o.RotateRefreshTokens = true;
            o.RevokeGrantOnReuse = true;
            o.ApiCallLimit = 1_000_000;
        });
        using var http = LoopbackBrowser.CreateHttpClient();
        var failures = 0;

        Console.WriteLine($"\nInstalls: whole flows (start, sandbox consent, callback), {Clients} clients, {Installs} flows after {WarmInstalls} warm-up");
        Console.WriteLine($"{"storage",-11} {"instances",9} {"ok",5} {"installs/s",10} {"p50 ms",8} {"p99 ms",8}");
        foreach (var (storage, instances) in new[] { (FleetStorage.Sqlite, 1), (FleetStorage.PostgreSql, 1), (FleetStorage.PostgreSql, 3) })
        {
            await using var fleet = await HostFleet.StartAsync(sandbox, storage, instances);
            var hosts = fleet.Hosts.Select(h => h.Address).ToArray();
            await LoopbackLoad.InstallAsync(http, hosts, "warm", WarmInstalls, Clients);
            var run = await LoopbackLoad.InstallAsync(http, hosts, "flow", Installs, Clients);
            var ok = run.CountOf(HttpStatusCode.OK);
            failures += ok == Installs ? 0 : 1;
            Console.WriteLine(Invariant($"{storage,-11} {instances,9} {ok,5} {run.PerSecond,10:F1} {run.Percentile(0.5),8:F1} {run.Percentile(0.99),8:F1}"));
        }

        failures += await StormAsync(sandbox, http);

        Console.WriteLine($"\nUninstall on instance 1, refused by instance 2: {UninstallRuns} runs, polled back to back");
        Console.WriteLine($"{"storage",-11} {"how",-32} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");
        failures += await UninstallAsync(sandbox, http, FleetStorage.PostgreSql, "NOTIFY (revalidation 30 s)", null);
        failures += await UninstallAsync(sandbox, http, FleetStorage.Sqlite, "revalidation 0.5 s", "00:00:00.5");

        Console.WriteLine($"\nload average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine(failures == 0 ? "every count as expected" : $"{failures} run(s) FAILED");
        return failures == 0 ? 0 : 1;
    }

    private static async Task<int> StormAsync(SandboxServer sandbox, HttpClient http)
    {
        Console.WriteLine($"\nRefresh storm: {StormCallers} concurrent API calls spread over 3 instances on PostgreSQL, token due, {StormRounds} rounds");
        Console.WriteLine($"{"round",5} {"ok",6} {"refreshes",9} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");
        await using var fleet = await HostFleet.StartAsync(sandbox, FleetStorage.PostgreSql, 3);
        const string path = "/installations/storm/gorgias/account";
        if (await new LoopbackBrowser(http).InstallAsync(fleet.Hosts[0].Address, "storm") != HttpStatusCode.OK)
        {
            Console.WriteLine("FAILED: the storm account did not install");
            return 1;
        }

        var failures = 0;
        for (var round = 1; round <= StormRounds; round++)
        {
            // Warm: each instance holds the token in its cache, as a running app's would.
            await FleetBurst.RunAsync(fleet, http, path, 3);
            await fleet.MakeDueAsync("storm");
            var before = sandbox.Monitor.TokenRequestsFor("refresh_token");
            var burst = await FleetBurst.RunAsync(fleet, http, path, StormCallers);
            var refreshes = sandbox.Monitor.TokenRequestsFor("refresh_token") - before;
            var ok = burst.Ok == StormCallers && refreshes == 1;
            failures += ok ? 0 : 1;
            Console.WriteLine(Invariant($"{round,5} {burst.Ok,6} {refreshes,9} {burst.Percentile(0.5),8:F1} {burst.Percentile(0.99),8:F1} {burst.Percentile(1),8:F1}{(ok ? "" : "  FAILED")}"));
        }

        return failures;
    }

    private static async Task<int> UninstallAsync(SandboxServer sandbox, HttpClient http, FleetStorage storage, string how, string? revalidation)
    {
        var settings = revalidation is null ? null : new Dictionary<string, string> { ["Gorgias__TokenCacheRevalidation"] = revalidation };
        await using var fleet = await HostFleet.StartAsync(sandbox, storage, 2, settings);
        var seen = new List<double>();
        for (var run = 0; run < UninstallRuns; run++)
        {
            var account = Invariant($"gone-{run}");
            var path = string.Format(CultureInfo.InvariantCulture, AccountPath, account);
            if (await new LoopbackBrowser(http).InstallAsync(fleet.Hosts[0].Address, account) != HttpStatusCode.OK
                || (await StatusAsync(fleet, http, 1, path)) != HttpStatusCode.OK)
            {
                Console.WriteLine($"FAILED: {account} did not install or instance 2 did not serve it");
                return 1;
            }

            using (var uninstall = await fleet.AdminAsync(http, HttpMethod.Delete, 0, $"/installations/{account}"))
            {
                if (!uninstall.IsSuccessStatusCode)
                {
                    Console.WriteLine($"FAILED: uninstalling {account} answered {uninstall.StatusCode}");
                    return 1;
                }
            }

            var clock = Stopwatch.StartNew();
            while (await StatusAsync(fleet, http, 1, path) == HttpStatusCode.OK)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(60))
                {
                    Console.WriteLine($"FAILED: instance 2 still served {account} 60 s after the uninstall");
                    return 1;
                }
            }

            seen.Add(clock.Elapsed.TotalMilliseconds);
        }

        seen.Sort();
        Console.WriteLine(Invariant($"{storage,-11} {how,-32} {FleetBurst.Percentile(seen, 0.5),8:F1} {FleetBurst.Percentile(seen, 0.99),8:F1} {seen[^1],8:F1}"));
        return 0;
    }

    private static async Task<HttpStatusCode> StatusAsync(HostFleet fleet, HttpClient http, int host, string path)
    {
        using var response = await fleet.AdminAsync(http, HttpMethod.Get, host, path);
        return response.StatusCode;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

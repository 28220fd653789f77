using System.Diagnostics;
using System.Globalization;
using System.Net;
using Gorgias.Integration.Testing;

namespace Gorgias.Integration.Benchmarks;

/// <summary>
/// <c>--flow-load [flows] [clients] [warm-up flows] [environment]</c>: whole install flows (start on the Host, consent on
/// the sandbox, callback on the Host) from <c>clients</c> concurrent browsers, as <c>LoadTests</c> does, but after a
/// warm-up (10,000 flows by default: on 2 cores the JIT tiers the Host's code up for its first ~20 s of load, taking up
/// to two thirds of a core) and with the processor time of each side: the Host runs as its own process (SQLite, sandbox off, its
/// process id printed for <c>dotnet-trace</c>), the sandbox and the browsers run in this one. Prints flows per second,
/// p50 and p99, and the milliseconds of processor time per flow in each process; exits 1 when a flow did not install.
/// </summary>
internal static class FlowLoad
{
    public static async Task<int> RunAsync(int flows, int clients, int warmFlows, string environment)
    {
        Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()} ({Environment.ProcessorCount} cores)");
        var folder = Directory.CreateTempSubdirectory("gorgias-flow-load-").FullName;
        try
        {
            await using var sandbox = await SandboxServer.StartAsync("process-client", "process-secret-not-real");
            var port = HostProcess.FreePort();
            await using var host = await HostProcess.StartAsync(folder, port, new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = environment,
                ["Gorgias__Sandbox"] = "false",
                ["Gorgias__BaseUrlTemplate"] = sandbox.BaseUrlTemplate,
                ["Gorgias__RedirectUri"] = $"http://127.0.0.1:{port}/oauth/callback",
            });
            Console.WriteLine($"Host process id {host.ProcessId}, environment {environment}");
            using var http = LoopbackBrowser.CreateHttpClient();

            Uri[] hosts = [host.Address];
            var warm = await LoopbackLoad.InstallAsync(http, hosts, "warm", warmFlows, clients);
            var hostBefore = host.ProcessorTime;
            var selfBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var run = await LoopbackLoad.InstallAsync(http, hosts, "flow", flows, clients);
            var hostMs = (host.ProcessorTime - hostBefore).TotalMilliseconds;
            var selfMs = (Process.GetCurrentProcess().TotalProcessorTime - selfBefore).TotalMilliseconds;

            Console.WriteLine(Invariant($"{flows} flows, {clients} clients, after {warmFlows} warm-up: {run.PerSecond:F0} flows/s, p50 {run.Percentile(0.5):F1} ms, p99 {run.Percentile(0.99):F1} ms, max {run.Percentile(1):F1} ms"));
            Console.WriteLine(Invariant($"processor time per flow: Host {hostMs / flows:F3} ms, sandbox and browsers {selfMs / flows:F3} ms, together {(hostMs + selfMs) / flows:F3} ms ({Environment.ProcessorCount} cores allow {Environment.ProcessorCount * 1_000 * flows / (hostMs + selfMs):F0} flows/s at that cost)"));
            Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
            var failed = warmFlows + flows - warm.CountOf(HttpStatusCode.OK) - run.CountOf(HttpStatusCode.OK);
            Console.WriteLine(failed == 0 ? "every flow installed" : $"{failed} flow(s) FAILED");
            return failed == 0 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

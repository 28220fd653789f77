using System.Globalization;
using System.Net;
using Gorgias.Integration.Testing;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Gorgias.Integration.Web.Tests;

/// <summary>
/// A bounded load on loopback against the Host as its own process: 5,000 install starts and 1,000 complete
/// flows from 32 concurrent clients. It asserts correctness under load (no 5xx, no SQLITE_BUSY, every flow
/// installed), and reports throughput and latency for docs/RELIABILITY.md without asserting on them.
/// </summary>
public sealed class LoadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Clients = 32;
    private const int InstallStarts = 5_000;
    private const int CompleteFlows = 1_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("gorgias-load-").FullName;
    private SandboxServer _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync("process-client", "process-secret-not-real");

    [Fact]
    public async Task BoundedLoad_From32Clients_HasNo5xxNoSqliteBusyAndInstallsEveryFlow()
    {
        var port = HostProcess.FreePort();
        await using var host = await HostProcess.StartAsync(_folder, port, new Dictionary<string, string>
        {
            ["Gorgias__Sandbox"] = "false",
            ["Gorgias__BaseUrlTemplate"] = _sandbox.BaseUrlTemplate,
            ["Gorgias__RedirectUri"] = $"http://127.0.0.1:{port}/oauth/callback",
        });
        using var http = LoopbackBrowser.CreateHttpClient();

        var starts = await LoopbackLoad.RunAsync(http, InstallStarts, Clients, async (browser, i) =>
            await browser.StartAsync(host.Address, $"load-start-{i}") is null ? HttpStatusCode.BadRequest : HttpStatusCode.Redirect);
        var flows = await LoopbackLoad.InstallAsync(http, [host.Address], "load-flow", CompleteFlows, Clients);

        Report("install start (GET /oauth/install)", starts);
        Report("complete flow (install, consent, callback)", flows);
        Assert.All(starts.Statuses, s => Assert.Equal(HttpStatusCode.Redirect, s));
        Assert.All(flows.Statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.DoesNotContain("SQLITE_BUSY", host.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("database is locked", host.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(CompleteFlows, _sandbox.Monitor.TokenRequestsFor("authorization_code"));
    }

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private void Report(string name, LoopbackLoad run)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{name}: {run.Latencies.Count} in {run.Elapsed.TotalSeconds:F2} s = {run.PerSecond:F0}/s, p50 {run.Percentile(0.50):F1} ms, p99 {run.Percentile(0.99):F1} ms, max {run.Percentile(1):F1} ms");
        output.WriteLine(line);
        var results = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(results);
        File.AppendAllText(Path.Combine(results, "load.txt"), line + Environment.NewLine);
    }
}

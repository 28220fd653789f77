using System.Diagnostics;
using System.Globalization;
using System.Net;
using Gorgias.Integration.Testing;
using Xunit.Abstractions;

namespace Gorgias.Integration.Web.Tests;

/// <summary>
/// Three Host processes on one store behind one loopback sandbox that rotates refresh tokens and revokes the whole grant
/// when one is used twice (RFC 9700, SECURITY.md row 53). The store comes from environment variables only
/// (<see cref="HostFleet"/>), so each <see cref="Storages"/> entry runs the same assertions.
/// </summary>
public sealed class MultiInstanceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Calls = 300;
    private const string AccountPath = "/installations/acme/gorgias/account";
    private SandboxServer _sandbox = null!;

    public static TheoryData<FleetStorage> Storages => new() { FleetStorage.Sqlite, FleetStorage.PostgreSql };

    public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync("process-client", "process-secret-not-real", configure: o =>
    {
        o.RotateRefreshTokens = true;
        o.RevokeGrantOnReuse = true;
        o.ApiCallLimit = 1_000_000;
    });

    [Theory]
    [MemberData(nameof(Storages))]
    public async Task Row53_ThreeInstances_OneRefreshPerExpiry_SurviveASigkill_AndRefuseAnUninstalledAccountWithinASecond(FleetStorage storage)
    {
        await using var fleet = await HostFleet.StartAsync(_sandbox, storage, instances: 3);
        using var http = LoopbackBrowser.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, await new LoopbackBrowser(http).InstallAsync(fleet.Hosts[0].Address, "acme"));

        // Warm: every instance has served the account once and holds its token in its cache.
        for (var host = 0; host < fleet.Hosts.Count; host++)
        {
            using var warm = await fleet.AdminAsync(http, HttpMethod.Get, host, AccountPath);
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        // 1. The token is due: 300 calls over the three reach Gorgias's token endpoint once, and all succeed.
        await fleet.MakeDueAsync("acme");
        var refreshes = _sandbox.Monitor.TokenRequestsFor("refresh_token");
        var burst = await FleetBurst.RunAsync(fleet, http, AccountPath, Calls);
        Report("300 calls over 3 instances, token due", burst, _sandbox.Monitor.TokenRequestsFor("refresh_token") - refreshes);
        Assert.Equal(1, _sandbox.Monitor.TokenRequestsFor("refresh_token") - refreshes);
        Assert.All(burst.Statuses, s => Assert.Equal(HttpStatusCode.OK, s.Status));

        // 2. Due again, and one instance is killed mid-burst: the others keep answering.
        await fleet.MakeDueAsync("acme");
        refreshes = _sandbox.Monitor.TokenRequestsFor("refresh_token");
        var killed = await FleetBurst.RunAsync(fleet, http, AccountPath, Calls, killLastAfter: Calls / 10);
        Report("300 calls, instance 3 killed after 30 answers", killed, _sandbox.Monitor.TokenRequestsFor("refresh_token") - refreshes);
        Assert.Equal(1, _sandbox.Monitor.TokenRequestsFor("refresh_token") - refreshes);
        Assert.All(killed.Statuses.Where(s => s.Host < 2), s => Assert.Equal(HttpStatusCode.OK, s.Status));

        // The refresh-token chain is intact: the restarted instance refreshes, and every instance calls Gorgias.
        await fleet.RestartAsync(2);
        using (var refresh = await fleet.AdminAsync(http, HttpMethod.Post, 2, "/installations/acme/refresh"))
        {
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        }

        for (var host = 0; host < fleet.Hosts.Count; host++)
        {
            using var call = await fleet.AdminAsync(http, HttpMethod.Get, host, AccountPath);
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        }

        // 3. Uninstalled on one: the other two refuse the account within a second (a cross-process observation, polled).
        using (var uninstall = await fleet.AdminAsync(http, HttpMethod.Delete, 0, "/installations/acme"))
        {
            Assert.True(uninstall.IsSuccessStatusCode, uninstall.StatusCode.ToString());
        }

        var uninstalledAt = Stopwatch.StartNew();
        for (var host = 1; host < fleet.Hosts.Count; host++)
        {
            while (true)
            {
                using var call = await fleet.AdminAsync(http, HttpMethod.Get, host, AccountPath);
                if (call.StatusCode != HttpStatusCode.OK)
                {
                    break;
                }

                Assert.True(uninstalledAt.Elapsed < TimeSpan.FromSeconds(1), $"{fleet.Hosts[host].Address} still served the uninstalled account after 1 s");
            }
        }

        output.WriteLine($"uninstall refused by the other two after {uninstalledAt.Elapsed.TotalMilliseconds:F0} ms");
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private void Report(string name, FleetBurst burst, int refreshes) => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name}: {burst.Ok}/{Calls} OK, refreshes at the stand-in {refreshes}, p50 {burst.Percentile(0.50):F1} ms, p99 {burst.Percentile(0.99):F1} ms"));
}

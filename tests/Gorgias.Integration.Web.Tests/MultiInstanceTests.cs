using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Gorgias.Integration.Testing;
using Gorgias.Integration.Web.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit.Abstractions;

namespace Gorgias.Integration.Web.Tests;

/// <summary>
/// Three Host processes on one store behind one loopback sandbox that rotates refresh tokens and revokes the whole grant
/// when one is used twice (RFC 9700, SECURITY.md row 53). The store comes from environment variables only, so a
/// PostgreSQL row is one more <see cref="Storages"/> entry (<c>Integration__Storage=PostgreSql</c> and
/// <c>ConnectionStrings__Integration</c>) plus its branch in <see cref="MakeDueAsync"/>.
/// </summary>
public sealed class MultiInstanceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Calls = 300;
    private readonly string _folder = Directory.CreateTempSubdirectory("gorgias-multi-").FullName;
    private SandboxServer _sandbox = null!;
    private string? _postgres;

    public static TheoryData<string> Storages => new() { "Sqlite", "PostgreSql" };

    public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync("process-client", "process-secret-not-real", configure: o =>
    {
        o.RotateRefreshTokens = true;
        o.RevokeGrantOnReuse = true;
        o.ApiCallLimit = 1_000_000;
    });

    [Theory]
    [MemberData(nameof(Storages))]
    public async Task Row53_ThreeInstances_OneRefreshPerExpiry_SurviveASigkill_AndRefuseAnUninstalledAccountWithinASecond(string storage)
    {
        var ports = new[] { HostProcess.FreePort(), HostProcess.FreePort(), HostProcess.FreePort() };
        if (storage == "PostgreSql")
        {
            _postgres = await PostgresServer.CreateDatabaseAsync();
        }

        var environment = Environment(storage, ports[0]);
        var hosts = await Task.WhenAll(ports.Select(port => HostProcess.StartAsync(_folder, port, environment)));
        try
        {
            using var http = LoopbackBrowser.CreateHttpClient();
            Assert.Equal(HttpStatusCode.OK, await new LoopbackBrowser(http).InstallAsync(hosts[0].Address, "acme"));

            // Warm: every instance has served the account once and holds its token in its cache.
            foreach (var host in hosts)
            {
                using var warm = await AdminAsync(http, HttpMethod.Get, host, "/installations/acme/gorgias/account");
                Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
            }

            // 1. The token is due: 300 calls over the three reach Gorgias's token endpoint once, and all succeed.
            await MakeDueAsync(storage);
            var refreshes = _sandbox.Monitor.TokenRequestsFor("refresh_token");
            var burst = await BurstAsync(http, hosts, killAfter: null);
            Report("300 calls over 3 instances, token due", burst, _sandbox.Monitor.TokenRequestsFor("refresh_token") - refreshes);
            Assert.Equal(1, _sandbox.Monitor.TokenRequestsFor("refresh_token") - refreshes);
            Assert.All(burst.Statuses, s => Assert.Equal(HttpStatusCode.OK, s.Status));

            // 2. Due again, and one instance is killed mid-burst: the others keep answering.
            await MakeDueAsync(storage);
            refreshes = _sandbox.Monitor.TokenRequestsFor("refresh_token");
            var killed = await BurstAsync(http, hosts, killAfter: Calls / 10);
            Report("300 calls, instance 3 killed after 30 answers", killed, _sandbox.Monitor.TokenRequestsFor("refresh_token") - refreshes);
            Assert.Equal(1, _sandbox.Monitor.TokenRequestsFor("refresh_token") - refreshes);
            Assert.All(killed.Statuses.Where(s => s.Host < 2), s => Assert.Equal(HttpStatusCode.OK, s.Status));

            // The refresh-token chain is intact: the restarted instance refreshes, and every instance calls Gorgias.
            await hosts[2].DisposeAsync();
            hosts[2] = await HostProcess.StartAsync(_folder, ports[2], environment);
            using (var refresh = await AdminAsync(http, HttpMethod.Post, hosts[2], "/installations/acme/refresh"))
            {
                Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
            }

            foreach (var host in hosts)
            {
                using var call = await AdminAsync(http, HttpMethod.Get, host, "/installations/acme/gorgias/account");
                Assert.Equal(HttpStatusCode.OK, call.StatusCode);
            }

            // 3. Uninstalled on one: the other two refuse the account within a second (a cross-process observation, polled).
            using (var uninstall = await AdminAsync(http, HttpMethod.Delete, hosts[0], "/installations/acme"))
            {
                Assert.True(uninstall.IsSuccessStatusCode, uninstall.StatusCode.ToString());
            }

            var uninstalledAt = Stopwatch.StartNew();
            foreach (var host in hosts.Skip(1))
            {
                while (true)
                {
                    using var call = await AdminAsync(http, HttpMethod.Get, host, "/installations/acme/gorgias/account");
                    if (call.StatusCode != HttpStatusCode.OK)
                    {
                        break;
                    }

                    Assert.True(uninstalledAt.Elapsed < TimeSpan.FromSeconds(1), $"{host.Address} still served the uninstalled account after 1 s");
                }
            }

            output.WriteLine($"uninstall refused by the other two after {uninstalledAt.Elapsed.TotalMilliseconds:F0} ms");
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_postgres is not null)
        {
            await PostgresServer.DropDatabaseAsync(_postgres);
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private Dictionary<string, string> Environment(string storage, int callbackPort)
    {
        var environment = new Dictionary<string, string>
        {
            ["Gorgias__Sandbox"] = "false",
            ["Gorgias__BaseUrlTemplate"] = _sandbox.BaseUrlTemplate,
            ["Gorgias__RedirectUri"] = $"http://127.0.0.1:{callbackPort}/oauth/callback",
            ["Gorgias__ApiRateLimit__PermitLimit"] = "10000",
            ["Gorgias__ApiRateLimit__QueueLimit"] = "10000",
        };
        if (storage == "Sqlite")
        {
            // No change announcements on SQLite: every call re-reads the stored stamp (1 ms), so each instance sees
            // the test moving the expiry, or an uninstall elsewhere, at its next call.
            environment["Gorgias__TokenCacheRevalidation"] = "00:00:00.001";
        }
        else
        {
            // Nothing else differs: the others hear of an uninstall through NOTIFY, and the key ring is in the database.
            environment["Integration__Storage"] = "PostgreSql";
            environment["ConnectionStrings__Integration"] = _postgres!;
        }

        return environment;
    }

    /// <summary>Moves the stored expiry to now (and the version on, so every instance's cached copy is re-read).</summary>
    private async Task MakeDueAsync(string storage)
    {
        const string Due = "UPDATE {0}token_sets SET expires_at = {1}, version = version + 1 WHERE account = 'acme';";
        if (storage == "PostgreSql")
        {
            await using var postgres = new NpgsqlConnection(_postgres);
            await postgres.OpenAsync();
            await using var update = new NpgsqlCommand(string.Format(CultureInfo.InvariantCulture, Due, "gorgias.", "now()"), postgres);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());

            // As an instance that changed the tokens would announce it (payload schema:instance:account).
            await using var announce = new NpgsqlCommand("SELECT pg_notify('gorgias_token_changes', 'gorgias:multi-instance-test:acme');", postgres);
            await announce.ExecuteNonQueryAsync();
            return;
        }

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "integration.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = string.Format(CultureInfo.InvariantCulture, Due, "", "$now");
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private static async Task<Burst> BurstAsync(HttpClient http, HostProcess[] hosts, int? killAfter)
    {
        var results = new ConcurrentBag<(int Host, HttpStatusCode Status, double Ms)>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = 0;
        Task? kill = null;
        var calls = Enumerable.Range(0, Calls).Select(i => Task.Run(async () =>
        {
            var host = i % hosts.Length;
            await start.Task;
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await AdminAsync(http, HttpMethod.Get, hosts[host], "/installations/acme/gorgias/account");
                results.Add((host, response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                results.Add((host, 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds)); // the killed instance
            }

            if (Interlocked.Increment(ref done) == killAfter)
            {
                kill = hosts[2].KillAsync();
            }
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(calls);
        if (kill is not null)
        {
            await kill;
        }

        return new Burst([.. results.Select(r => (r.Host, r.Status))], [.. results.Where(r => r.Status == HttpStatusCode.OK).Select(r => r.Ms).Order()]);
    }

    private static async Task<HttpResponseMessage> AdminAsync(HttpClient http, HttpMethod method, HostProcess host, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(host.Address, path));
        request.Headers.Authorization = new("Bearer", HostProcess.AdminKey);
        return await http.SendAsync(request);
    }

    private void Report(string name, Burst burst, int refreshes) => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name}: {burst.Statuses.Count(s => s.Status == HttpStatusCode.OK)}/{Calls} OK, refreshes at the stand-in {refreshes}, "
        + $"p50 {Percentile(burst.OkLatencies, 0.50):F1} ms, p99 {Percentile(burst.OkLatencies, 0.99):F1} ms"));

    private static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private sealed record Burst(IReadOnlyList<(int Host, HttpStatusCode Status)> Statuses, IReadOnlyList<double> OkLatencies);
}

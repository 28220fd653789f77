using System.Text.Json;
using Gorgias.Integration.Cli.Tests.Support;

namespace Gorgias.Integration.Cli.Tests;

/// <summary>
/// The tool as an operator runs it: its own process, the deployment's configuration in the environment, a real database
/// and the real sandbox on loopback. Each storage adapter runs every test (<see cref="SqliteCliTests"/>,
/// <see cref="PostgreSqlCliTests"/>).
/// </summary>
public abstract class CliTests(GorgiasStorage storage) : IAsyncLifetime
{
    private CliDeployment? _deployment;

    protected CliDeployment Deployment => _deployment ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _deployment = await CliDeployment.StartAsync(storage);

    public async Task DisposeAsync()
    {
        if (_deployment is not null)
        {
            await _deployment.DisposeAsync();
        }
    }

    /// <summary>Settings that point the tool at a database that cannot be reached, for this storage.</summary>
    protected abstract IReadOnlyDictionary<string, string?> UnreachableDatabase();

    [Fact]
    public async Task Migrate_OnAnEmptyDatabase_AppliesEveryMigration_ThenNothing()
    {
        var first = await Deployment.RunAsync("migrate", "--json");
        var second = await Deployment.RunAsync("migrate", "--json");
        var human = await Deployment.RunAsync("migrate");

        Assert.True(first.ExitCode == 0, first.ToString());
        using var applied = JsonDocument.Parse(first.Output);
        var latest = applied.RootElement.GetProperty("latestVersion").GetInt32();
        Assert.True(latest > 0);
        Assert.Equal(latest, applied.RootElement.GetProperty("applied").GetInt32());
        Assert.Equal(latest, applied.RootElement.GetProperty("version").GetInt32());
        Assert.Equal(0, second.ExitCode);
        using var again = JsonDocument.Parse(second.Output);
        Assert.Equal(0, again.RootElement.GetProperty("applied").GetInt32());
        Assert.Equal(latest, again.RootElement.GetProperty("version").GetInt32());
        Assert.Equal(0, human.ExitCode);
        Assert.Contains("nothing to apply", human.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAndShow_PrintTheInstallation_AsTablesAndJson_WithoutAToken()
    {
        await Deployment.InstallAsync("acme");
        var (accessToken, refreshToken) = (await Deployment.StoredTokensAsync("acme"))!.Value;

        var list = await Deployment.RunAsync("installations", "list");
        var listJson = await Deployment.RunAsync("installations", "list", "--json");
        var show = await Deployment.RunAsync("installations", "show", "ACME");
        var showJson = await Deployment.RunAsync("installations", "show", "acme", "--json");

        foreach (var run in new[] { list, listJson, show, showJson })
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.DoesNotContain(accessToken, run.All, StringComparison.Ordinal);
            Assert.DoesNotContain(refreshToken, run.All, StringComparison.Ordinal);
        }

        Assert.Matches(@"acme\s*│\s*Active", list.Output);
        using var all = JsonDocument.Parse(listJson.Output);
        var only = Assert.Single(all.RootElement.GetProperty("installations").EnumerateArray());
        Assert.Equal("acme", only.GetProperty("account").GetString());
        Assert.Equal("Active", only.GetProperty("status").GetString());
        Assert.Contains("account:read", only.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(JsonValueKind.String, only.GetProperty("accessTokenExpiresAt").ValueKind);
        Assert.Equal(0, only.GetProperty("consecutiveRefreshFailures").GetInt32());
        Assert.Matches(@"Status\s+Active", show.Output);
        Assert.Contains("Access token expires", show.Output, StringComparison.Ordinal);
        using var one = JsonDocument.Parse(showJson.Output);
        Assert.Equal("acme", one.RootElement.GetProperty("account").GetString());
        Assert.Equal(only.GetProperty("accessTokenExpiresAt").GetString(), one.RootElement.GetProperty("accessTokenExpiresAt").GetString());
    }

    [Fact]
    public async Task Refresh_OneAccount_RenewsItsTokensAtTheStandIn()
    {
        await Deployment.InstallAsync("acme");
        var before = (await Deployment.StoredTokensAsync("acme"))!.Value;

        var refreshed = await Deployment.RunAsync("installations", "refresh", "acme", "--json");

        Assert.True(refreshed.ExitCode == 0, refreshed.ToString());
        Assert.Equal(1, Deployment.Sandbox.Monitor.TokenRequestsFor("refresh_token"));
        Assert.Equal(before.RefreshToken, Deployment.Sandbox.Monitor.LastTokenRequest["refresh_token"]);
        var after = (await Deployment.StoredTokensAsync("acme"))!.Value;
        Assert.NotEqual(before.AccessToken, after.AccessToken);
        using var outcome = JsonDocument.Parse(refreshed.Output);
        Assert.True(outcome.RootElement.GetProperty("refreshed").GetBoolean());
        Assert.Equal("acme", outcome.RootElement.GetProperty("account").GetString());
        Assert.Equal(JsonValueKind.Null, outcome.RootElement.GetProperty("error").ValueKind);
        Assert.DoesNotContain(after.AccessToken, refreshed.All, StringComparison.Ordinal);
        Assert.DoesNotContain(after.RefreshToken, refreshed.All, StringComparison.Ordinal);

        var human = await Deployment.RunAsync("installations", "refresh", "acme");
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Contains("Refreshed acme", human.Output, StringComparison.Ordinal);
        Assert.Equal(2, Deployment.Sandbox.Monitor.TokenRequestsFor("refresh_token"));
        Assert.NotEqual(after.AccessToken, (await Deployment.StoredTokensAsync("acme"))!.Value.AccessToken);
    }

    [Fact]
    public async Task RefreshAll_RenewsEveryInstallationHoldingTokens_AndSkipsTheUninstalled()
    {
        await Deployment.InstallAsync("acme");
        await Deployment.InstallAsync("beta");
        await Deployment.InstallAsync("gone");
        Assert.Equal(0, (await Deployment.RunAsync("installations", "uninstall", "gone")).ExitCode);

        var json = await Deployment.RunAsync("installations", "refresh", "--all", "--json");
        var human = await Deployment.RunAsync("installations", "refresh", "--all");

        Assert.True(json.ExitCode == 0, json.ToString());
        using var outcome = JsonDocument.Parse(json.Output);
        Assert.Equal(2, outcome.RootElement.GetProperty("refreshed").GetInt32());
        Assert.Equal(0, outcome.RootElement.GetProperty("failed").GetInt32());
        Assert.Equal(["acme", "beta"], outcome.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("account").GetString()).Order());
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Contains("2 refreshed, 0 failed.", human.Output, StringComparison.Ordinal);
        Assert.Equal(4, Deployment.Sandbox.Monitor.TokenRequestsFor("refresh_token"));
    }

    [Fact]
    public async Task Uninstall_RevokesAtTheStandIn_AndTheStatusBecomesUninstalled()
    {
        await Deployment.InstallAsync("acme");
        var tokens = (await Deployment.StoredTokensAsync("acme"))!.Value;

        var uninstall = await Deployment.RunAsync("installations", "uninstall", "acme", "--json");
        var show = await Deployment.RunAsync("installations", "show", "acme", "--json");

        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        using var outcome = JsonDocument.Parse(uninstall.Output);
        Assert.True(outcome.RootElement.GetProperty("revoked").GetBoolean());
        Assert.Equal(1, Deployment.Sandbox.Monitor.Revocations);
        Assert.Equal(tokens.RefreshToken, Deployment.Sandbox.Monitor.LastRevocationRequest["token"]);
        Assert.Null(await Deployment.StoredTokensAsync("acme"));
        using var view = JsonDocument.Parse(show.Output);
        Assert.Equal("Uninstalled", view.RootElement.GetProperty("status").GetString());
        Assert.DoesNotContain(tokens.RefreshToken, uninstall.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiGet_CallsGorgiasWithTheAccountsToken_AndPrintsTheJsonBody()
    {
        await Deployment.InstallAsync("acme");
        var tokens = (await Deployment.StoredTokensAsync("acme"))!.Value;

        var account = await Deployment.RunAsync("api", "acme", "get", "/api/account", "--json");
        var tickets = await Deployment.RunAsync("api", "acme", "get", "/api/tickets?limit=3");

        Assert.True(account.ExitCode == 0, account.ToString());
        using var body = JsonDocument.Parse(account.Output);
        Assert.Equal("acme", body.RootElement.GetProperty("domain").GetString());
        Assert.True(tickets.ExitCode == 0, tickets.ToString());
        using var page = JsonDocument.Parse(tickets.Output);
        Assert.Equal(3, page.RootElement.GetProperty("data").GetArrayLength());
        Assert.Equal(2, Deployment.Sandbox.Monitor.ApiCalls);
        Assert.DoesNotContain(tokens.AccessToken, account.All + tickets.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_OnAHealthyDeployment_SaysOkOnEveryLine()
    {
        await Deployment.InstallAsync("acme");

        var human = await Deployment.RunAsync("doctor", "--account", "acme");
        var json = await Deployment.RunAsync("doctor", "--account", "acme", "--json");

        Assert.True(human.ExitCode == 0, human.ToString());
        var lines = human.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["configuration", "database", "keys", "gorgias"], lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
        Assert.All(lines, l => Assert.StartsWith("ok ", l, StringComparison.Ordinal));
        Assert.Contains("decrypted the stored tokens of acme", human.Output, StringComparison.Ordinal);
        Assert.Equal(0, json.ExitCode);
        using var report = JsonDocument.Parse(json.Output);
        Assert.True(report.RootElement.GetProperty("ok").GetBoolean());
        Assert.All(report.RootElement.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("ok").GetBoolean()));
    }

    [Fact]
    public async Task Doctor_WithAnUnreachableDatabase_Fails_NamingTheConnectionStringAndNoSecret()
    {
        var run = await Deployment.RunWithAsync(UnreachableDatabase(), "doctor");

        Assert.True(run.ExitCode == 1, run.ToString());
        var failed = Assert.Single(run.Output.Split('\n'), l => l.StartsWith("FAIL", StringComparison.Ordinal));
        Assert.Contains("ConnectionStrings:Integration", failed, StringComparison.Ordinal);
        Assert.DoesNotContain(FakePassword, run.All, StringComparison.Ordinal);
        Assert.Contains(run.Output.Split('\n'), l => l.StartsWith("skip  keys", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Doctor_OnADatabaseNotYetMigrated_SaysToRunMigrate()
    {
        var run = await Deployment.RunAsync("doctor");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(run.Output.Split('\n'), l => l.StartsWith("FAIL  database", StringComparison.Ordinal) && l.Contains("run 'gorgias-integration migrate'", StringComparison.Ordinal));
    }

    /// <summary>A password in the unreachable connection string; no output may contain it.</summary>
    protected const string FakePassword = "fake-password-not-real-7Qx";
}

using Gorgias.Integration.Cli.Tests.Support;

namespace Gorgias.Integration.Cli.Tests;

/// <summary>The tool on a SQLite file, with the keys folder it shares with the app that installed.</summary>
public sealed class SqliteCliTests() : CliTests(GorgiasStorage.Sqlite)
{
    protected override IReadOnlyDictionary<string, string?> UnreachableDatabase() => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Integration"] = $"Data Source={Path.Combine(Deployment.Folder, "missing", "integration.db")};Password={FakePassword}",
    };

    [Fact]
    public async Task Settings_ComeFromAppsettingsInTheWorkingDirectory_AndTheConfigAndConnectionStringOptionsOverrideThem()
    {
        var settings = Deployment.Settings.Where(p => p.Key != "ConnectionStrings:Integration")
            .Append(new("ConnectionStrings:Integration", "Data Source=from-appsettings.db"));
        await File.WriteAllTextAsync(Path.Combine(Deployment.Folder, "appsettings.json"), AppsettingsJson(settings));

        // Nothing in the environment: CliProcess passes none of the deployment's settings.
        var fromFile = await CliProcess.RunAsync(Deployment.Folder, new Dictionary<string, string>(), "migrate");
        var overridden = await CliProcess.RunAsync(Deployment.Folder, new Dictionary<string, string>(), "migrate", "--connection-string", "Data Source=from-option.db");
        var extra = Path.Combine(Deployment.Folder, "extra.json");
        await File.WriteAllTextAsync(extra, """{"ConnectionStrings":{"Integration":"Data Source=from-config.db"}}""");
        var fromConfig = await CliProcess.RunAsync(Deployment.Folder, new Dictionary<string, string>(), "migrate", "--config", extra);

        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        Assert.Contains(Path.Combine(Deployment.Folder, "from-appsettings.db"), fromFile.Output, StringComparison.Ordinal);
        Assert.True(overridden.ExitCode == 0, overridden.ToString());
        Assert.True(File.Exists(Path.Combine(Deployment.Folder, "from-option.db")));
        Assert.True(fromConfig.ExitCode == 0, fromConfig.ToString());
        Assert.Contains(Path.Combine(Deployment.Folder, "from-config.db"), fromConfig.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshAll_DrawsAProgressBar_OnlyOnATerminal()
    {
        await Deployment.InstallAsync("acme");
        await Deployment.InstallAsync("beta");

        var terminal = await Deployment.RunInTerminalAsync("installations", "refresh", "--all");
        var redirected = await Deployment.RunAsync("installations", "refresh", "--all");

        Assert.True(terminal.ExitCode == 0, terminal.ToString());
        Assert.Contains("Refreshed access tokens", terminal.Output, StringComparison.Ordinal);
        Assert.Contains("100%", terminal.Output, StringComparison.Ordinal);
        Assert.Contains("2 refreshed, 0 failed.", terminal.Output, StringComparison.Ordinal);
        Assert.True(redirected.ExitCode == 0, redirected.ToString());
        Assert.DoesNotContain("Refresh", redirected.Output.Split('\n')[0], StringComparison.Ordinal);
        Assert.DoesNotContain("%", redirected.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", redirected.Output, StringComparison.Ordinal);
        Assert.Equal(4, Deployment.Sandbox.Monitor.TokenRequestsFor("refresh_token"));
    }

    [Fact]
    public async Task Show_AnAccountThatIsNotInstalled_Fails_SayingSo()
    {
        var run = await Deployment.RunAsync("installations", "show", "nobody");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("nobody", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiGet_ForAnAccountThatIsNotInstalled_Fails_WithoutCallingGorgias()
    {
        var run = await Deployment.RunAsync("api", "nobody", "get", "/api/account", "--json");

        Assert.Equal(1, run.ExitCode);
        using var error = System.Text.Json.JsonDocument.Parse(run.Output);
        Assert.Equal("access_unavailable", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("nobody", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, Deployment.Sandbox.Monitor.ApiCalls);
    }

    [Fact]
    public async Task Commands_WithoutAConnectionString_Fail_NamingTheKey()
    {
        var run = await CliProcess.RunAsync(Deployment.Folder, new Dictionary<string, string>(), "installations", "list");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ConnectionStrings:Integration is missing", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate", "frobnicate")]
    [InlineData("installations list --frob", "--frob")]
    [InlineData("installations show Not_An_Account", "'Not_An_Account' is not a Gorgias account")]
    [InlineData("installations refresh", "--all")]
    [InlineData("installations refresh acme --all", "not both")]
    [InlineData("api acme get /oauth/token", "'/oauth/token' is not a Gorgias API path")]
    [InlineData("api acme delete /api/account", "delete")]
    [InlineData("--storage Oracle migrate", "Oracle")]
    [InlineData("doctor --account -bad-", "'-bad-' is not a Gorgias account")]
    public async Task BadUsage_ExitsWith2_NamingTheInput(string commandLine, string named)
    {
        var run = await Deployment.RunAsync(commandLine.Split(' '));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(named, run.Error, StringComparison.Ordinal);
        Assert.Contains("--help", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }

    private static string AppsettingsJson(IEnumerable<KeyValuePair<string, string>> settings)
    {
        // Nested sections, as a Host's appsettings.json has them.
        var root = new Dictionary<string, object>();
        foreach (var (key, value) in settings)
        {
            var parts = key.Split(':');
            var section = root;
            foreach (var part in parts[..^1])
            {
                if (!section.TryGetValue(part, out var child))
                {
                    child = new Dictionary<string, object>();
                    section[part] = child;
                }

                section = (Dictionary<string, object>)child;
            }

            section[parts[^1]] = value;
        }

        return System.Text.Json.JsonSerializer.Serialize(root);
    }
}

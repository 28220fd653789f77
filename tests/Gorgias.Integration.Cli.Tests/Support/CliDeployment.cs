using System.Net;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Testing;
using Gorgias.Integration.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Cli.Tests.Support;

/// <summary>
/// A deployment the tool operates: the real sandbox on loopback standing in for Gorgias, a real database (a SQLite file
/// with its key folder, or a PostgreSQL database that also holds the key ring), and an ASP.NET Core app embedding the
/// core on that same database and key ring, through which installs are made the way a user makes them. The tool runs
/// in <see cref="Folder"/> with <see cref="Settings"/> as environment variables, as an operator would run it.
/// </summary>
public sealed class CliDeployment : IAsyncDisposable
{
    private readonly Dictionary<string, string> _settings;
    private (WebApplication App, Uri Address)? _app;

    private CliDeployment(string folder, SandboxServer sandbox, Dictionary<string, string> settings, string? database)
    {
        Folder = folder;
        Sandbox = sandbox;
        _settings = settings;
        PostgresDatabase = database;
    }

    /// <summary>The tool's working directory (and, with SQLite, the database's and the keys' folder).</summary>
    public string Folder { get; }

    public SandboxServer Sandbox { get; }

    /// <summary>The configuration keys of the deployment, as the Host would have them.</summary>
    public IReadOnlyDictionary<string, string> Settings => _settings;

    /// <summary>The PostgreSQL connection string, when the deployment runs on PostgreSQL.</summary>
    public string? PostgresDatabase { get; }

    public static async Task<CliDeployment> StartAsync(GorgiasStorage storage)
    {
        var folder = Directory.CreateTempSubdirectory("gorgias-cli-").FullName;
        var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret);
        var settings = new Dictionary<string, string>
        {
            ["Gorgias:ClientId"] = SandboxCredentials.ClientId,
            ["Gorgias:ClientSecret"] = SandboxCredentials.ClientSecret,
            ["Gorgias:BaseUrlTemplate"] = sandbox.BaseUrlTemplate,

            // The install app listens on a port chosen at start; the callback is sent to it by path (InstallAsync).
            ["Gorgias:RedirectUri"] = "https://app.example/oauth/callback",
            ["Integration:Storage"] = storage.ToString(),
        };
        string? database = null;
        if (storage == GorgiasStorage.PostgreSql)
        {
            database = await PostgresServer.CreateDatabaseAsync();
            settings["ConnectionStrings:Integration"] = database;
        }
        else
        {
            settings["ConnectionStrings:Integration"] = $"Data Source={Path.Combine(folder, "integration.db")}";
            settings["DataProtection:KeysPath"] = Path.Combine(folder, "keys");
        }

        return new CliDeployment(folder, sandbox, settings, database);
    }

    /// <summary>Runs the tool with the deployment's settings and <paramref name="extra"/> ones (a null value removes a key).</summary>
    public Task<CliRun> RunWithAsync(IReadOnlyDictionary<string, string?> extra, params string[] arguments)
    {
        var environment = _settings.ToDictionary(p => p.Key, p => (string?)p.Value);
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        return CliProcess.RunAsync(Folder, environment.Where(p => p.Value is not null).ToDictionary(p => p.Key.Replace(":", "__", StringComparison.Ordinal), p => p.Value!), arguments);
    }

    public Task<CliRun> RunAsync(params string[] arguments) => RunWithAsync(new Dictionary<string, string?>(), arguments);

    /// <summary>Runs the tool with the deployment's settings and its stdout on a terminal.</summary>
    public Task<CliRun> RunInTerminalAsync(params string[] arguments) =>
        CliProcess.RunInTerminalAsync(Folder, _settings.ToDictionary(p => p.Key.Replace(":", "__", StringComparison.Ordinal), p => p.Value), arguments);

    /// <summary>Install → consent (Allow) at the sandbox → callback, in the embedding app, as a browser goes through it.</summary>
    public async Task InstallAsync(string account)
    {
        var (_, address) = await AppAsync();
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        using var install = await browser.GetAsync(new Uri(address, $"oauth/install?account={account}"));
        Assert.Equal(HttpStatusCode.Redirect, install.StatusCode);

        // The binding cookie is Secure; a browser sends it to 127.0.0.1 over http, HttpClient's cookie container would not.
        var cookie = install.Headers.GetValues("Set-Cookie").First().Split(';')[0];
        var authorize = install.Headers.Location!;
        var (action, fields) = ConsentForm.Read(await browser.GetStringAsync(authorize), authorize, "allow");
        using var decision = await browser.PostAsync(action, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, decision.StatusCode);

        using var callback = new HttpRequestMessage(HttpMethod.Get, new Uri(address, decision.Headers.Location!.PathAndQuery));
        callback.Headers.Add("Cookie", cookie);
        using var completed = await browser.SendAsync(callback);
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
    }

    /// <summary>The stored tokens of <paramref name="account"/>, decrypted by the embedding app (null when it holds none).</summary>
    public async Task<(string AccessToken, string RefreshToken)?> StoredTokensAsync(string account)
    {
        var (app, _) = await AppAsync();
        var tokens = await app.Services.GetRequiredService<ITokenSetRepository>().FindAsync(AccountName.Parse(account), CancellationToken.None);
        return tokens is null ? null : (tokens.AccessToken, tokens.RefreshToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { App: var app })
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        await Sandbox.DisposeAsync();
        if (PostgresDatabase is not null)
        {
            await PostgresServer.DropDatabaseAsync(PostgresDatabase);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine must not fail a test that already passed.
        }
    }

    private async Task<(WebApplication App, Uri Address)> AppAsync() =>
        _app ??= await LoopbackApp.StartWithBuilderAsync(
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(_settings.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)));
                builder.AddGorgiasIntegration(o =>
                {
                    o.BackgroundMaintenance = false;
                    o.Sandbox = false;
                });
            },
            app => app.MapGorgiasIntegration(GorgiasAdminAccess.AllowAnonymous));
}

using System.Net;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Sandbox;
using Gorgias.Integration.Web.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Web.Tests;

/// <summary>
/// One whole life — install, callback, refresh, API call, uninstall — through the Host with every log category at
/// Trace, then the evidence: no secret in any log line (SECURITY.md row 31) and none left in the database files (rows 29, 30).
/// </summary>
public sealed class LifecycleEvidenceTests : IDisposable
{
    private readonly IntegrationHost _host = new();

    private SandboxMonitor Sandbox => _host.Services.GetRequiredService<SandboxMonitor>();

    [Fact]
    public async Task Row31_Row29_Row30_AWholeLifeAtTrace_LeavesNoSecretInLogsNorInTheDatabaseFiles()
    {
        var secrets = new List<string> { IntegrationHost.ClientSecret, IntegrationHost.AdminKey };
        var ciphertexts = new List<byte[]>();
        using var browser = _host.CreateNonRedirectingBrowser();
        using var admin = _host.CreateAdmin();

        // Install: the state, nonce, code and PKCE verifier travel through the Host.
        var authorize = await BrowserFlow.StartAsync(browser, "acme");
        var callback = await BrowserFlow.DecideAsync(browser, authorize, allow: true);
        using (var done = await browser.GetAsync(callback))
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }

        secrets.AddRange([BrowserFlow.Query(authorize, "state")!, BrowserFlow.Query(authorize, "nonce")!, BrowserFlow.Query(callback, "code")!,
            Sandbox.LastTokenRequest["code_verifier"]]);
        await CollectTokensAsync(secrets, ciphertexts);

        // Refresh: a new access token; its ciphertext replaces the old one.
        _host.Time.Advance(TimeSpan.FromHours(1));
        using (var refreshed = await admin.PostAsync(new Uri("/installations/acme/refresh", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        }

        await CollectTokensAsync(secrets, ciphertexts);

        // Uninstall: revoke at Gorgias, wipe.
        using (var uninstalled = await admin.DeleteAsync(new Uri("/installations/acme", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, uninstalled.StatusCode);
        }

        secrets.Add(Sandbox.LastRevocationRequest["token"]);
        Checkpoint();

        var logs = string.Join('\n', _host.Logs);
        Assert.Contains("Request starting HTTP/1.1 GET https://localhost/oauth/callback?", logs, StringComparison.Ordinal); // ASP.NET Core's request log ran
        Assert.Contains("System.Net.Http.HttpClient", logs, StringComparison.Ordinal); // and the HTTP client's
        foreach (var secret in secrets.Distinct())
        {
            Assert.False(logs.Contains(secret, StringComparison.Ordinal), $"a secret of {secret.Length} characters is in the logs");
        }

        var files = Database.AllBytes(_host);
        Assert.NotEmpty(files);
        foreach (var secret in secrets.Distinct())
        {
            Assert.False(Database.Contains(files, secret), $"a secret of {secret.Length} characters is in the database files");
        }

        foreach (var ciphertext in ciphertexts)
        {
            Assert.True(files.AsSpan().IndexOf(ciphertext) < 0, "an old token ciphertext is still in the database files");
        }
    }

    public void Dispose() => _host.Dispose();

    private async Task CollectTokensAsync(List<string> secrets, List<byte[]> ciphertexts)
    {
        var tokens = await _host.Services.GetRequiredService<ITokenSetRepository>().FindAsync(AccountName.Parse("acme"), CancellationToken.None);
        secrets.Add(tokens!.AccessToken);
        secrets.Add(tokens.RefreshToken);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT access_token, refresh_token FROM token_sets WHERE account = 'acme'";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        ciphertexts.Add((byte[])reader[0]);
        ciphertexts.Add((byte[])reader[1]);
    }

    private void Checkpoint()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={_host.DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }
}

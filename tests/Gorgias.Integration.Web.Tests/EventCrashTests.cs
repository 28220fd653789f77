using System.Net;
using System.Text;
using Dapper;
using Gorgias.Integration.Sandbox;
using Gorgias.Integration.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Web.Tests;

/// <summary>
/// A delivery the Host answered 2xx is in the inbox, whatever happens to the Host next (SECURITY.md row 52): a real Host
/// process is killed (SIGKILL) as soon as its answer arrives, and the Host started again on the same files hands the
/// event over. The sandbox runs in the test process, so it outlives the Host as Gorgias would.
/// </summary>
public sealed class EventCrashTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gorgias-events-").FullName;
    private SandboxServer _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync("process-client", "process-secret-not-real");

    [Fact]
    public async Task Row52_TheHostKilledRightAfterAnswering2xx_DispatchesTheEventAfterItsRestart()
    {
        var port = HostProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["Gorgias__Sandbox"] = "false",
            ["Gorgias__BaseUrlTemplate"] = _sandbox.BaseUrlTemplate,
            ["Gorgias__RedirectUri"] = $"http://127.0.0.1:{port}/oauth/callback",
            ["Gorgias__Events__Triggers"] = "ticket-created",
        };
        using var http = LoopbackBrowser.CreateHttpClient();
        var host = await HostProcess.StartAsync(_folder, port, environment);
        string secret;
        try
        {
            Assert.Equal(HttpStatusCode.OK, await new LoopbackBrowser(http).InstallAsync(host.Address, "acme"));
            secret = SecretOf("acme");

            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.Address, "/events/acme"))
            {
                Content = new StringContent("""{"event":"ticket-created","ticket_id":"4242"}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Gorgias-Integration-Secret", secret);
            using var answer = await http.SendAsync(request);
            await host.KillAsync();
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
        finally
        {
            await host.DisposeAsync();
        }

        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM event_inbox WHERE account = 'acme' AND ticket_id = 4242;"));

        await using var restarted = await HostProcess.StartAsync(_folder, port, environment);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await CountAsync("SELECT COUNT(*) FROM event_inbox WHERE ticket_id = 4242 AND handled_at IS NOT NULL;") == 0)
        {
            // Another process writes the row: poll its file, with a deadline.
            Assert.True(DateTime.UtcNow < deadline, "The restarted Host did not hand the event over within 30 s:\n" + restarted.Output);
            await Task.Delay(50);
        }

        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM event_inbox;"));
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
            // A file still open on a slow machine must not fail the test that already passed.
        }
    }

    private string SecretOf(string account)
    {
        var data = _sandbox.Services.GetRequiredService<SandboxData>().For(account);
        lock (data.Lock)
        {
            return data["integrations"].Values.Single()["http"]!["headers"]!["X-Gorgias-Integration-Secret"]!.GetValue<string>();
        }
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "integration.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }
}

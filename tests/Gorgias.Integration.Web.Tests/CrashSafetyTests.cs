using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gorgias.Integration.Testing;
using Microsoft.Data.Sqlite;

namespace Gorgias.Integration.Web.Tests;

/// <summary>
/// The Host as its own process, killed with SIGKILL in the middle of a burst of installs and refreshes, then started
/// again on the same database: SQLite's WAL and one-transaction saves must leave nothing half-written.
/// </summary>
public sealed class CrashSafetyTests : IAsyncLifetime
{
    private const string ClientId = "process-client";
    private const string ClientSecret = "process-secret-not-real";

    private readonly string _folder = Directory.CreateTempSubdirectory("gorgias-crash-").FullName;
    private SandboxServer _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync(ClientId, ClientSecret);

    [Fact]
    public async Task SigkillMidBurst_RestartFindsAnIntactDatabaseAndEveryCompletedInstallWithWorkingTokens()
    {
        var port = HostProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["Gorgias__Sandbox"] = "false",
            ["Gorgias__BaseUrlTemplate"] = _sandbox.BaseUrlTemplate,
            ["Gorgias__RedirectUri"] = $"http://127.0.0.1:{port}/oauth/callback",
        };
        using var http = LoopbackBrowser.CreateHttpClient();
        var completed = new ConcurrentQueue<string>();
        var enoughDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();

        await using (var first = await HostProcess.StartAsync(_folder, port, environment))
        {
            var workers = Enumerable.Range(0, 12).Select(worker => Task.Run(async () =>
            {
                var browser = new LoopbackBrowser(http);
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var account = $"crash-{worker}-{i}";
                    try
                    {
                        if (await browser.InstallAsync(first.Address, account) == HttpStatusCode.OK)
                        {
                            completed.Enqueue(account);
                            if (completed.Count >= 60)
                            {
                                enoughDone.TrySetResult();
                            }

                            using var refresh = await AdminAsync(http, HttpMethod.Post, first.Address, $"/installations/{account}/refresh");
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                    {
                        return; // the Host is gone
                    }
                }
            })).ToArray();

            await enoughDone.Task.WaitAsync(TimeSpan.FromSeconds(120));
            await first.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(workers);
        }

        await using var second = await HostProcess.StartAsync(_folder, port, environment);

        Assert.Equal("ok", Scalar("PRAGMA integrity_check"));
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM installations i LEFT JOIN token_sets t ON t.account = i.account WHERE i.status = 1 AND t.account IS NULL"));
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM token_sets t LEFT JOIN installations i ON i.account = t.account WHERE i.account IS NULL OR i.status <> 1"));
        Assert.True(completed.Count >= 60);
        foreach (var account in completed)
        {
            using var view = await AdminAsync(http, HttpMethod.Get, second.Address, $"/installations/{account}");
            Assert.Equal(HttpStatusCode.OK, view.StatusCode);
            var json = await view.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Active", json.GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.String, json.GetProperty("accessTokenExpiresAt").ValueKind);

            // The stored, encrypted refresh token still decrypts and Gorgias still accepts it.
            using var refresh = await AdminAsync(http, HttpMethod.Post, second.Address, $"/installations/{account}/refresh");
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        }
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

    private static async Task<HttpResponseMessage> AdminAsync(HttpClient http, HttpMethod method, Uri host, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(host, path));
        request.Headers.Authorization = new("Bearer", HostProcess.AdminKey);
        return await http.SendAsync(request);
    }

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "integration.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}

using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Gorgias.Integration.Testing;

/// <summary>Where the Host processes of a <see cref="HostFleet"/> keep their state.</summary>
public enum FleetStorage
{
    /// <summary>One SQLite file in the fleet's folder, shared by every process.</summary>
    Sqlite,

    /// <summary>One new database on <see cref="PostgresServer"/>, dropped with the fleet.</summary>
    PostgreSql,
}

/// <summary>
/// Several Host processes on one store behind one loopback sandbox, each its own redirect URI (so a flow started on
/// an instance comes back to it). The store is chosen by environment variables only, as an operator would:
/// <c>Integration__Storage=PostgreSql</c> and <c>ConnectionStrings__Integration</c>, or the SQLite default.
/// </summary>
public sealed class HostFleet : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gorgias-fleet-").FullName;
    private readonly SandboxServer _sandbox;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly HostProcess[] _hosts;
    private readonly int[] _ports;

    private HostFleet(SandboxServer sandbox, FleetStorage storage, string? postgres, int instances, IReadOnlyDictionary<string, string> settings)
    {
        _sandbox = sandbox;
        Storage = storage;
        Postgres = postgres;
        _settings = settings;
        _hosts = new HostProcess[instances];
        _ports = [.. Enumerable.Range(0, instances).Select(_ => HostProcess.FreePort())];
    }

    /// <summary>The store the processes share.</summary>
    public FleetStorage Storage { get; }

    /// <summary>The connection string of the fleet's PostgreSQL database, or null on SQLite.</summary>
    public string? Postgres { get; }

    /// <summary>The running processes, by index.</summary>
    public IReadOnlyList<HostProcess> Hosts => _hosts;

    /// <summary>Starts <paramref name="instances"/> Host processes on a new store, all at the same moment.</summary>
    /// <param name="sandbox">The stand-in for Gorgias, started with the <see cref="HostProcess"/> credentials.</param>
    /// <param name="storage">The store to share.</param>
    /// <param name="instances">How many processes.</param>
    /// <param name="settings">Environment variables that add to or replace the fleet's.</param>
    public static async Task<HostFleet> StartAsync(
        SandboxServer sandbox, FleetStorage storage, int instances, IReadOnlyDictionary<string, string>? settings = null)
    {
        var postgres = storage == FleetStorage.PostgreSql ? await PostgresServer.CreateDatabaseAsync() : null;
        var fleet = new HostFleet(sandbox, storage, postgres, instances, settings ?? new Dictionary<string, string>());
        try
        {
            await Task.WhenAll(Enumerable.Range(0, instances).Select(fleet.RestartAsync));
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts instance <paramref name="index"/> again on its port (after it was killed), or for the first time.</summary>
    public async Task RestartAsync(int index)
    {
        if (_hosts[index] is { } old)
        {
            await old.DisposeAsync();
        }

        _hosts[index] = await HostProcess.StartAsync(_folder, _ports[index], Environment(_ports[index]));
    }

    /// <summary>An admin request (the Bearer key every process shares) to instance <paramref name="index"/>.</summary>
    public async Task<HttpResponseMessage> AdminAsync(HttpClient http, HttpMethod method, int index, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(_hosts[index].Address, path));
        request.Headers.Authorization = new("Bearer", HostProcess.AdminKey);
        return await http.SendAsync(request);
    }

    /// <summary>
    /// Moves <paramref name="account"/>'s stored expiry to now and its version on, so every instance re-reads it and
    /// finds the token due; on PostgreSQL it announces the change as an instance that changed the tokens would.
    /// </summary>
    /// <exception cref="InvalidOperationException">The account has no stored token set.</exception>
    public async Task MakeDueAsync(string account)
    {
        const string Due = "UPDATE {0}token_sets SET expires_at = {1}, version = version + 1 WHERE account = {2};";
        int updated;
        if (Storage == FleetStorage.PostgreSql)
        {
            await using var postgres = new NpgsqlConnection(Postgres);
            await postgres.OpenAsync();
            await using var update = new NpgsqlCommand(string.Format(CultureInfo.InvariantCulture, Due, "gorgias.", "now()", "@account"), postgres);
            update.Parameters.AddWithValue("account", account);
            updated = await update.ExecuteNonQueryAsync();

            // The listener's payload is schema:instance:account.
            await using var announce = new NpgsqlCommand("SELECT pg_notify('gorgias_token_changes', 'gorgias:host-fleet:' || @account);", postgres);
            announce.Parameters.AddWithValue("account", account);
            await announce.ExecuteNonQueryAsync();
        }
        else
        {
            await using var connection = new SqliteConnection($"Data Source={SqlitePath};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = string.Format(CultureInfo.InvariantCulture, Due, "", "$now", "$account");
            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$account", account);
            updated = await command.ExecuteNonQueryAsync();
        }

        if (updated != 1)
        {
            throw new InvalidOperationException($"{account} has no stored token set to make due.");
        }
    }

    /// <summary>Stops every process, drops the PostgreSQL database and deletes the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts.Where(h => h is not null))
        {
            await host.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        if (Postgres is not null)
        {
            await PostgresServer.DropDatabaseAsync(Postgres);
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary folder.
        }
    }

    private string SqlitePath => Path.Combine(_folder, "integration.db");

    private Dictionary<string, string> Environment(int port)
    {
        var environment = new Dictionary<string, string>
        {
            ["Gorgias__Sandbox"] = "false",
            ["Gorgias__BaseUrlTemplate"] = _sandbox.BaseUrlTemplate,
            ["Gorgias__RedirectUri"] = $"http://127.0.0.1:{port}/oauth/callback",
            ["Gorgias__ApiRateLimit__PermitLimit"] = "10000",
            ["Gorgias__ApiRateLimit__QueueLimit"] = "10000",
        };
        if (Storage == FleetStorage.Sqlite)
        {
            // No change announcements on SQLite: every call re-reads the stored stamp (1 ms), so each instance sees
            // MakeDueAsync, or an uninstall elsewhere, at its next call. A caller measuring the fallback sets its own.
            environment["Gorgias__TokenCacheRevalidation"] = "00:00:00.001";
        }
        else
        {
            // Nothing else differs: the others hear of a change through NOTIFY, and the key ring is in the database.
            environment["Integration__Storage"] = "PostgreSql";
            environment["ConnectionStrings__Integration"] = Postgres!;
            environment["DataProtection__KeysPath"] = "";
        }

        foreach (var (key, value) in _settings)
        {
            environment[key] = value;
        }

        return environment;
    }
}

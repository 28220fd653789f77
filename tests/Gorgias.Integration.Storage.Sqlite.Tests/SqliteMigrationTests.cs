using Dapper;
using static Gorgias.Integration.Storage.Sqlite.Tests.TestData;

namespace Gorgias.Integration.Storage.Sqlite.Tests;

public sealed class SqliteMigrationTests : IDisposable
{
    private static readonly string[] Tables =
        ["event_inbox", "event_subscriptions", "installations", "pending_revocations", "refresh_leases",
         "schema_migrations", "sqlite_sequence", "token_sets", "used_authorization_requests"];

    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Migrations_RunTwiceAndAgainOnTheExistingFile_RecordOneRowPerVersion()
    {
        var first = _db.Open();
        await first.Database.EnsureMigratedAsync(CancellationToken.None);
        await first.Database.EnsureMigratedAsync(CancellationToken.None);
        await InstallAsync(first, Account("acme"), T0);
        _db.CloseConnections();

        var reopened = _db.Open();
        await reopened.Database.EnsureMigratedAsync(CancellationToken.None);

        Assert.Equal(SqliteMigrations.All.Select(m => (long)m.Version), await VersionsAsync(reopened));
        Assert.Equal(Tables, await TablesAsync(reopened));
        Assert.NotNull(await reopened.Installations.FindAsync(Account("acme"), CancellationToken.None));
    }

    [Fact]
    public async Task Migrations_WhenTwoProcessesStartAtOnce_ApplyEachVersionOnce()
    {
        var provider = _db.CreateProvider();
        var a = _db.Open(provider);
        var b = _db.Open(provider, _db.ConnectionString + ";Cache=Private"); // another pool, as another process has

        await RunConcurrentlyAsync(2, async i =>
        {
            await (i == 0 ? a : b).Database.EnsureMigratedAsync(CancellationToken.None);
            return i;
        });

        await a.Database.EnsureMigratedAsync(CancellationToken.None);
        await b.Database.EnsureMigratedAsync(CancellationToken.None);
        Assert.Equal(SqliteMigrations.All.Select(m => (long)m.Version), await VersionsAsync(a));
        Assert.Equal(Tables, await TablesAsync(b));
    }

    [Fact]
    public async Task Migrations_SwitchTheFileToWal_AndEveryConnectionGetsThePragmas()
    {
        var store = _db.Open();

        await using var connection = await store.Database.OpenAsync(CancellationToken.None);

        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(5000, await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("PRAGMA secure_delete"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("PRAGMA synchronous")); // 1 = NORMAL
    }

    [Fact]
    public async Task Repositories_WithoutAHost_MigrateOnFirstUse()
    {
        var store = _db.Open();

        var installations = await store.Installations.ListAsync(CancellationToken.None);

        Assert.Empty(installations);
        Assert.Equal(SqliteMigrations.All.Select(m => (long)m.Version), await VersionsAsync(store));
    }

    [Fact]
    public async Task Migrations_WhenTheFileHasANewerSchema_FailWithAClearMessage_AndAreRetriedOnNextUse()
    {
        var store = _db.Open();
        await ExecuteAsync(store, "INSERT INTO schema_migrations (version, applied_at) VALUES (999, 'later')");

        var older = _db.Open(connectionString: _db.ConnectionString + ";Cache=Private");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            older.Installations.ListAsync(CancellationToken.None));
        Assert.Contains("schema version 999", error.Message, StringComparison.Ordinal);

        // A failed migration is not remembered as done, nor as failed for good: the next use tries again.
        await ExecuteAsync(store, "DELETE FROM schema_migrations WHERE version = 999");
        Assert.Empty(await older.Installations.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Migrations_WhenTheFolderDoesNotExistYet_CreateIt()
    {
        var path = Path.Combine(_db.Folder, "nested", "data", "integration.db");
        var store = _db.Open(connectionString: $"Data Source={path}");

        await store.Database.EnsureMigratedAsync(CancellationToken.None);

        Assert.True(File.Exists(path));
    }

    [Fact]
    public void Migrations_AreNumberedOneToNInOrder()
    {
        Assert.NotEmpty(SqliteMigrations.All);
        Assert.Equal(Enumerable.Range(1, SqliteMigrations.All.Count), SqliteMigrations.All.Select(m => m.Version));
    }

    private static async Task<IEnumerable<long>> VersionsAsync(Store store)
    {
        await using var connection = await store.Database.OpenAsync(CancellationToken.None);
        return await connection.QueryAsync<long>("SELECT version FROM schema_migrations ORDER BY version");
    }

    private static async Task<IEnumerable<string>> TablesAsync(Store store)
    {
        await using var connection = await store.Database.OpenAsync(CancellationToken.None);
        return await connection.QueryAsync<string>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
    }
}

using Dapper;

namespace Gorgias.Integration.Storage.Sqlite.Tests;

/// <summary>
/// <see cref="SqliteDatabase.OpenForWriteAsync"/>: the writers of one database object take turns without meeting in
/// SQLite's busy handler (a blocked thread and 1–100 ms sleeps), readers never wait for them, and a turn is released
/// once whatever happens to the connection.
/// </summary>
public sealed class SqliteWriteGateTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task ASecondWriter_WaitsForTheFirstToBeDisposed_WhileAReaderDoesNot()
    {
        var database = _db.Open().Database;
        var first = await database.OpenForWriteAsync(CancellationToken.None);
        await first.ExecuteAsync("BEGIN IMMEDIATE; INSERT INTO refresh_leases (account, holder, held_until) VALUES ('gate', 'first', 1);");

        var second = database.OpenForWriteAsync(CancellationToken.None);
        Assert.False(second.IsCompleted, "the second writer got a connection while the first still held its turn");

        // A reader is not held up by the writer's turn, and sees the last committed state (WAL).
        await using (var reader = await database.OpenAsync(CancellationToken.None).WaitAsync(Bound))
        {
            Assert.Equal(0, await reader.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM refresh_leases;"));
        }

        await first.ExecuteAsync("COMMIT;");
        await first.DisposeAsync();
        await using var next = await second.WaitAsync(Bound);
        Assert.Equal(1, await next.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM refresh_leases;"));
    }

    [Fact]
    public async Task ADisposedTwiceConnection_ReleasesItsTurnOnce()
    {
        var database = _db.Open().Database;
        var first = await database.OpenForWriteAsync(CancellationToken.None);
        first.Dispose();
        await first.DisposeAsync();

        await using var second = await database.OpenForWriteAsync(CancellationToken.None).WaitAsync(Bound);
        var third = database.OpenForWriteAsync(CancellationToken.None);
        Assert.False(third.IsCompleted, "a double dispose let two writers in at once");
        await second.DisposeAsync();
        await using var last = await third.WaitAsync(Bound);
    }

    [Fact]
    public async Task AWriterWhoseWaitIsCancelled_TakesNoTurn_AndTheNextOneGetsIn()
    {
        var database = _db.Open().Database;
        var first = await database.OpenForWriteAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = database.OpenForWriteAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        await first.DisposeAsync();
        await using var next = await database.OpenForWriteAsync(CancellationToken.None).WaitAsync(Bound);
        Assert.Equal(System.Data.ConnectionState.Open, next.State);
    }

    [Fact]
    public async Task FiftyConcurrentInstalls_ThroughOneDatabase_AllCommit()
    {
        var store = _db.Open();
        // Bounded: a turn taken twice on one path (a writer opening another writer) would hang here, not pass.
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => TestData.InstallAsync(store, TestData.Account($"gate-{i}"), TestData.T0))))
            .WaitAsync(Bound);

        var installations = await store.Installations.ListAsync(CancellationToken.None);
        Assert.Equal(50, installations.Count(i => i.Account.Value.StartsWith("gate-", StringComparison.Ordinal)));
    }
}

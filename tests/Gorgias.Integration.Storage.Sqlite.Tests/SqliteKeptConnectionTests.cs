using Dapper;
using Microsoft.Data.Sqlite;

namespace Gorgias.Integration.Storage.Sqlite.Tests;

/// <summary>
/// The connections <see cref="SqliteDatabase"/> keeps open between uses (its writer and its idle readers): one writer
/// for every turn with its statements compiled once, a loan that left a transaction open loses its connection, a kept
/// statement binds no value of an earlier use, and closing them closes the file.
/// </summary>
public sealed class SqliteKeptConnectionTests : IDisposable
{
    private const string InsertLeaseSql = "INSERT INTO refresh_leases (account, holder, held_until) VALUES (@Account, 'kept', 1);";
    private const string CountLeasesSql = "SELECT COUNT(*) FROM refresh_leases;";

    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task TheWriter_IsOneConnection_ForEveryTurn_WithItsStatementCompiledOnce()
    {
        var database = _db.Open().Database;
        SqliteConnection firstConnection;
        SqliteCommand firstStatement;
        await using (var writer = await database.OpenForWriteAsync(CancellationToken.None))
        {
            firstConnection = writer;
            firstStatement = writer.Statement(InsertLeaseSql);
            firstStatement.Bind("@Account", SqliteType.Text, "kept-1");
            Assert.Equal(1, await firstStatement.ExecuteNonQueryAsync());
        }

        await using (var writer = await database.OpenForWriteAsync(CancellationToken.None))
        {
            Assert.Same(firstConnection, writer);
            Assert.Equal(System.Data.ConnectionState.Open, writer.State);
            var statement = writer.Statement(InsertLeaseSql);
            Assert.Same(firstStatement, statement);
            statement.Bind("@Account", SqliteType.Text, "kept-2");
            Assert.Equal(1, await statement.ExecuteNonQueryAsync());
        }

        await using var reader = await database.OpenAsync(CancellationToken.None);
        Assert.Equal(2, await reader.ExecuteScalarAsync<long>(CountLeasesSql));
    }

    [Fact]
    public async Task ATurnThatLeftATransactionOpen_LosesItsConnection_AndTheNextTurnStartsClean()
    {
        var database = _db.Open().Database;
        SqliteConnection abandoned;
        await using (var writer = await database.OpenForWriteAsync(CancellationToken.None))
        {
            abandoned = writer;
            await writer.ExecuteAsync("BEGIN IMMEDIATE;");
            await writer.ExecuteAsync(InsertLeaseSql, new { Account = "abandoned" });
        }

        await using (var next = await database.OpenForWriteAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)))
        {
            Assert.NotSame(abandoned, next);
            Assert.Equal(System.Data.ConnectionState.Closed, abandoned.State);

            // Its own transaction starts (no "cannot start a transaction within a transaction"), and the abandoned
            // insert was rolled back with the connection that held it.
            await using var transaction = next.BeginTransaction(deferred: false);
            Assert.Equal(0, await next.ExecuteScalarAsync<long>(CountLeasesSql, transaction: transaction));
        }
    }

    [Fact]
    public async Task AKeptStatement_BindsNoValueOfAnEarlierUse()
    {
        var database = _db.Open().Database;
        await using (var writer = await database.OpenForWriteAsync(CancellationToken.None))
        {
            var statement = writer.Statement(InsertLeaseSql);
            statement.Bind("@Account", SqliteType.Text, "first-use");
            await statement.ExecuteNonQueryAsync();
        }

        await using (var writer = await database.OpenForWriteAsync(CancellationToken.None))
        {
            var statement = writer.Statement(InsertLeaseSql);
            var unbound = await Assert.ThrowsAsync<InvalidOperationException>(() => statement.ExecuteNonQueryAsync());
            Assert.Contains("Value", unbound.Message, StringComparison.Ordinal);
        }

        await using var reader = await database.OpenAsync(CancellationToken.None);
        Assert.Equal(1, await reader.ExecuteScalarAsync<long>(CountLeasesSql));
    }

    [Fact]
    public async Task AReader_IsLentToOneCallerAtATime_AndKeptForTheNext()
    {
        var database = _db.Open().Database;
        var first = await database.OpenAsync(CancellationToken.None);
        var second = await database.OpenAsync(CancellationToken.None);
        Assert.NotSame(first, second);
        await first.DisposeAsync();

        await using var third = await database.OpenAsync(CancellationToken.None);
        Assert.Same(first, third);
        Assert.Equal(0, await third.ExecuteScalarAsync<long>(CountLeasesSql));

        // Given back, a connection's statements are no longer the caller's.
        await second.DisposeAsync();
        Assert.Throws<InvalidOperationException>(() => second.Statement(CountLeasesSql));
    }

    [Fact]
    public async Task ClosingTheKeptConnections_ClosesTheFile_SoItsWalIsCheckpointedAway()
    {
        var store = _db.Open();
        await TestData.InstallAsync(store, TestData.Account("kept-wal"), TestData.T0);
        await using (var reader = await store.Database.OpenAsync(CancellationToken.None))
        {
            Assert.Equal(1, await reader.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM installations WHERE account = 'kept-wal';"));
        }

        Assert.True(File.Exists(_db.DatabasePath + "-wal"), "the installation was not written through the WAL");

        // Cleared pool alone: the writer and the idle reader still hold the file open.
        using (var pooled = new SqliteConnection(store.Database.ConnectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }

        Assert.True(File.Exists(_db.DatabasePath + "-wal"));

        _db.CloseConnections();
        Assert.False(File.Exists(_db.DatabasePath + "-wal"), "the last close did not checkpoint and remove the WAL");
    }

    [Fact]
    public async Task ADisposedDatabase_RefusesLaterWrites_NamingItself()
    {
        var database = _db.Open().Database;
        await using (await database.OpenForWriteAsync(CancellationToken.None))
        {
        }

        database.Dispose();
        var refused = await Assert.ThrowsAsync<ObjectDisposedException>(() => database.OpenForWriteAsync(CancellationToken.None));
        Assert.Contains(nameof(SqliteDatabase), refused.ObjectName, StringComparison.Ordinal);
    }
}

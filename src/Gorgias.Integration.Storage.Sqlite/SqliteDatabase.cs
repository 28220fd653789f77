using System.Collections.Concurrent;
using System.Data;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>
/// The integration's SQLite file: lends its one writer connection for writes and kept reader connections for reads,
/// each configured once and keeping its compiled statements, and brings the schema up to date. Migrations run once per
/// instance, either at host start-up (<see cref="SqliteMigrationHostedService"/>) or lazily before the first connection
/// is handed out, so code without a host works too. Disposing it closes the kept connections (the last close of a file
/// checkpoints its WAL).
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    // Per-connection settings, applied once per native connection: a pooled handle keeps them across opens, and
    // re-applying them on every open cost ~10 µs (four statements prepared and run), five times per install
    // (docs/PERFORMANCE.md). journal_mode=WAL is stored in the file itself and is set once, at migration.
    private const string ConnectionPragmas = """
        PRAGMA busy_timeout = 5000;
        PRAGMA foreign_keys = ON;
        PRAGMA secure_delete = ON;
        PRAGMA synchronous = NORMAL;
        """;

    private readonly Lock _migrationGate = new();

    // One writer at a time through this object (see OpenForWriteAsync). The container holds one per connection string.
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    /// <summary>How many reader connections are kept open while no one uses them.</summary>
    public const int MaxIdleReaders = 8;

    // The connection every write through this object uses, kept open between turns (guarded by _writeGate).
    private SqliteKeptConnection? _writer;

    // Reader connections kept open between uses, each with its compiled statements.
    private readonly ConcurrentStack<SqliteKeptConnection> _idleReaders = new();
    private volatile bool _disposed;

    // The native handles that already have the pragmas; weak, so a handle the pool closes is forgotten with it.
    private readonly ConditionalWeakTable<sqlite3, object> _configuredHandles = new();
    private Task? _migration;

    public SqliteDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
        ArgumentException.ThrowIfNullOrWhiteSpace(builder.DataSource, nameof(connectionString));
        ConnectionString = builder.ToString();
        DataSource = builder.DataSource;
    }

    /// <summary>The normalised connection string (pooling on).</summary>
    public string ConnectionString { get; }

    /// <summary>The database file.</summary>
    public string DataSource { get; }

    /// <summary>
    /// Lends a reader connection with the pragmas above, after making sure the schema is current: one this object kept
    /// open, or a new one. Disposing it gives it back, open, with the statements compiled by
    /// <see cref="SqliteKeptConnection.Statement"/>; up to <see cref="MaxIdleReaders"/> are kept.
    /// </summary>
    public async Task<SqliteKeptConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureMigratedAsync(cancellationToken);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_idleReaders.TryPop(out var reader))
        {
            reader = await OpenKeptAsync(ReturnReader, cancellationToken);
        }

        reader.Lend();
        return reader;
    }

    /// <summary>
    /// Lends the writer connection for statements that write, once no other writer through this object holds it;
    /// disposing it ends the turn and lets the next one in, and keeps the connection open.
    /// <list type="bullet">
    /// <item>SQLite admits one writer at a time anyway: without the turn, concurrent writers of one process met in SQLite's
    /// busy handler, which blocks a thread-pool thread and sleeps 1–100 ms between tries, so the write lock sat idle
    /// between holders while requests queued behind it (docs/PERFORMANCE.md, issue 15). Here they wait asynchronously,
    /// holding no thread, and the next one starts as soon as the last one is done. Other processes (and other database
    /// objects) on the same file still meet in the busy handler, as before. Reads never wait for it (WAL).</item>
    /// <item>One connection for every turn: no pooled open per write, the statements of <see cref="SqliteKeptConnection.Statement"/>
    /// are compiled once, and the page cache stays valid between turns (SQLite drops a connection's cache when another
    /// connection has written the file since its last transaction).</item>
    /// </list>
    /// </summary>
    public async Task<SqliteKeptConnection> OpenForWriteAsync(CancellationToken cancellationToken)
    {
        await EnsureMigratedAsync(cancellationToken);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var writer = _writer ??= await OpenKeptAsync(EndTurn, cancellationToken);
            writer.Lend();
            return writer;
        }
        catch
        {
            _writeGate.Release();
            throw;
        }
    }

    /// <summary>Closes the kept connections for good (see <see cref="CloseConnections"/>).</summary>
    public void Dispose() => CloseKept(dispose: true);

    /// <summary>
    /// Closes the writer connection, after the turn in progress if there is one (waiting at most 10 s for it; a turn still
    /// running then closes it when it ends, if the database is being disposed), and the idle readers; the next use opens
    /// others. With the pool cleared as well, the file is closed as at a process exit.
    /// </summary>
    public void CloseConnections() => CloseKept(dispose: false);

    private void CloseKept(bool dispose)
    {
        _disposed |= dispose;
        var turn = _writeGate.Wait(TimeSpan.FromSeconds(10));
        try
        {
            if (turn)
            {
                _writer?.CloseForGood();
                _writer = null;
            }

            while (_idleReaders.TryPop(out var reader))
            {
                reader.CloseForGood();
            }
        }
        finally
        {
            if (turn)
            {
                _writeGate.Release();
            }
        }
    }

    private async Task<SqliteKeptConnection> OpenKeptAsync(Action<SqliteKeptConnection> giveBack, CancellationToken cancellationToken)
    {
        var connection = new SqliteKeptConnection(ConnectionString, giveBack);
        try
        {
            await OpenConfiguredAsync(connection, cancellationToken);
            return connection;
        }
        catch
        {
            connection.CloseForGood(); // not lent yet: disposing it would keep it
            throw;
        }
    }

    // A use that left a transaction open (a bug, or a failure SQLite could not roll back) loses its connection: closing it
    // rolls the transaction back, and the next use opens another.
    private static bool IsReusable(SqliteKeptConnection connection) =>
        connection.State == ConnectionState.Open && raw.sqlite3_get_autocommit(connection.Handle) != 0;

    private void EndTurn(SqliteKeptConnection writer)
    {
        try
        {
            if (!IsReusable(writer) || _disposed)
            {
                writer.CloseForGood();
                _writer = null;
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private void ReturnReader(SqliteKeptConnection reader)
    {
        if (IsReusable(reader) && !_disposed && _idleReaders.Count < MaxIdleReaders)
        {
            _idleReaders.Push(reader);
        }
        else
        {
            reader.CloseForGood();
        }
    }

    /// <summary>
    /// Applies the pending migrations once. Concurrent callers share one run; a failed or cancelled run is
    /// retried by the next caller. Cancelling stops only this caller's wait, not the shared run.
    /// </summary>
    public Task EnsureMigratedAsync(CancellationToken cancellationToken)
    {
        var migration = Volatile.Read(ref _migration);
        if (migration is { IsCompletedSuccessfully: true })
        {
            return Task.CompletedTask;
        }

        lock (_migrationGate)
        {
            if (_migration is null || _migration.IsFaulted || _migration.IsCanceled)
            {
                _migration = Task.Run(MigrateAsync, CancellationToken.None);
            }

            return _migration.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Starts a write transaction with <c>BEGIN IMMEDIATE</c>: the write lock is taken (waiting up to the busy
    /// timeout) before anything is read, so a transaction never has to upgrade a stale read snapshot, which
    /// in WAL mode fails with SQLITE_BUSY at once, whatever the busy timeout.
    /// </summary>
    public static SqliteTransaction BeginImmediateTransaction(SqliteConnection connection) =>
        connection.BeginTransaction(deferred: false);

    private async Task MigrateAsync()
    {
        SqliteConnection connection;
        try
        {
            CreateDirectoryOfDataSource();
            connection = await OpenConfiguredAsync(new SqliteConnection(ConnectionString), CancellationToken.None);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            // The first open is where a wrong path shows; say which setting holds it, not just "file not found".
            throw new InvalidOperationException(
                $"The database of ConnectionStrings:{SqliteStorageRegistration.ConnectionStringName} cannot be opened at " +
                $"{Path.GetFullPath(DataSource)}: {ex.Message} Point it at a file in a folder this process can write to.", ex);
        }

        await using (connection)
        {
            await SqliteMigrations.ApplyAsync(connection, CancellationToken.None);
        }
    }

    private async Task<SqliteConnection> OpenConfiguredAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.OpenAsync(cancellationToken);
            var handle = connection.Handle!;
            if (!_configuredHandles.TryGetValue(handle, out _))
            {
                await connection.ExecuteAsync(new CommandDefinition(ConnectionPragmas, cancellationToken: cancellationToken));
                _configuredHandles.AddOrUpdate(handle, handle);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private void CreateDirectoryOfDataSource()
    {
        if (DataSource == ":memory:")
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(DataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}

using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>
/// The integration's SQLite file: opens configured, pooled connections and brings the schema up to date.
/// Migrations run once per instance, either at host start-up (<see cref="SqliteMigrationHostedService"/>) or
/// lazily before the first connection is handed out, so code without a host works too.
/// </summary>
internal sealed class SqliteDatabase
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

    /// <summary>Opens a connection with the pragmas above, after making sure the schema is current.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureMigratedAsync(cancellationToken);
        return await OpenConfiguredAsync(new SqliteConnection(ConnectionString), cancellationToken);
    }

    /// <summary>
    /// Opens a connection for statements that write, once no other writer through this object holds one; disposing the
    /// connection lets the next one in. SQLite admits one writer at a time anyway: without this, concurrent writers of one
    /// process met in SQLite's busy handler, which blocks a thread-pool thread and sleeps 1–100 ms between tries, so the
    /// write lock sat idle between holders while requests queued behind it (docs/PERFORMANCE.md, issue 15). Here they wait
    /// asynchronously, holding no thread, and the next one starts as soon as the last one is done. Other processes (and
    /// other database objects) on the same file still meet in the busy handler, as before. Reads never wait for it (WAL).
    /// </summary>
    public async Task<SqliteConnection> OpenForWriteAsync(CancellationToken cancellationToken)
    {
        await EnsureMigratedAsync(cancellationToken);
        await _writeGate.WaitAsync(cancellationToken);

        // From here the connection owns the gate: disposing it (also when the open below fails) releases the gate once.
        return await OpenConfiguredAsync(new WriterConnection(ConnectionString, _writeGate), cancellationToken);
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

    /// <summary>A pooled connection that lets the next writer of the file in once it is disposed.</summary>
    private sealed class WriterConnection(string connectionString, SemaphoreSlim gate) : SqliteConnection(connectionString)
    {
        private int _released;

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}

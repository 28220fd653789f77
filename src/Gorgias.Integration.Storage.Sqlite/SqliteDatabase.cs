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
        return await OpenConfiguredAsync(cancellationToken);
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
            connection = await OpenConfiguredAsync(CancellationToken.None);
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

    private async Task<SqliteConnection> OpenConfiguredAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
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

using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Npgsql;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>
/// The one <see cref="NpgsqlDataSource"/> of the integration's database (pooled connections, registered once) and the
/// schema its tables live in. Migrations run once per instance, at host start-up
/// (<see cref="PostgreSqlMigrationHostedService"/>) or before the first connection is handed out, so code without a
/// host works too.
/// </summary>
internal sealed partial class PostgreSqlDatabase : IAsyncDisposable
{
    /// <summary>The schema used when none is configured.</summary>
    public const string DefaultSchema = "gorgias";

    // Each statement's text with the schema spliced in, made once: the adapters' SQL constants are the keys.
    private readonly ConcurrentDictionary<string, string> _sql = new(StringComparer.Ordinal);
    private readonly Lock _migrationGate = new();
    private Task? _migration;

    public PostgreSqlDatabase(NpgsqlDataSource dataSource, string schema)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        if (!IsSchemaName(schema))
        {
            throw new ArgumentException(
                $"'{schema}' is not a usable schema name: use 1–63 lower-case letters, digits and underscores, starting with a letter or underscore (default '{DefaultSchema}').",
                nameof(schema));
        }

        DataSource = dataSource;
        Schema = schema;
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>A plain identifier, checked once: it is spliced into SQL text, where no parameter can stand for it.</summary>
    public string Schema { get; }

    /// <summary>True when <paramref name="schema"/> is a plain lower-case SQL identifier.</summary>
    public static bool IsSchemaName(string? schema) => schema is not null && SchemaName().IsMatch(schema);

    /// <summary><paramref name="sql"/> with every <c>{schema}</c> replaced by <see cref="Schema"/>.</summary>
    public string Sql(string sql) => _sql.GetOrAdd(sql, static (text, schema) => text.Replace("{schema}", schema, StringComparison.Ordinal), Schema);

    /// <summary>Opens a pooled connection, after making sure the schema is current.</summary>
    public async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureMigratedAsync(cancellationToken);
        return await DataSource.OpenConnectionAsync(cancellationToken);
    }

    /// <summary>
    /// Applies the pending migrations once per instance. Concurrent callers share one run; a failed or cancelled run is
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

    private async Task MigrateAsync()
    {
        try
        {
            await PostgreSqlMigrations.ApplyAsync(this, CancellationToken.None);
        }
        catch (NpgsqlException ex)
        {
            // The first connection is where a wrong host, port or password shows: say which setting holds it.
            throw new InvalidOperationException(
                $"The PostgreSQL database of ConnectionStrings:{PostgreSqlStorageRegistration.ConnectionStringName} cannot be " +
                $"migrated (schema '{Schema}'): {ex.Message} Check the host, port, database, user and password in it, and that " +
                "the user may create the schema.", ex);
        }
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}

using Dapper;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>
/// The schema as an ordered list of versioned scripts. A script, once released, never changes: a later change is a
/// new version. All pending scripts run in one transaction that first takes a transaction-scoped advisory lock on the
/// schema's name, so instances starting at the same moment apply each script exactly once and the loser of the race
/// finds them applied; a failed script leaves nothing behind.
/// </summary>
internal static class PostgreSqlMigrations
{
    /// <summary>Every migration, in order; versions are 1, 2, 3, …; <c>{schema}</c> stands for the configured schema.</summary>
    public static IReadOnlyList<(int Version, string Description, string Sql)> All { get; } =
    [
        (1, "data protection key ring", """
            -- Every instance reads and writes one key ring, so any instance decrypts what another encrypted.
            CREATE TABLE {schema}.data_protection_keys (
                friendly_name text        NOT NULL PRIMARY KEY,
                xml           text        NOT NULL,
                created_at    timestamptz NOT NULL DEFAULT now()
            );
            """),
    ];

    /// <summary>The newest schema version this build knows.</summary>
    public static int LatestVersion => All[^1].Version;

    /// <summary>Creates the schema if needed and applies every migration not yet recorded; returns how many it applied.</summary>
    public static async Task<int> ApplyAsync(PostgreSqlDatabase database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // hashtext gives a stable 32-bit key per schema: two instances of one schema serialise, other schemas do not wait.
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtext('gorgias-integration-migrations:' || @Schema));",
            new { database.Schema }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(database.Sql("""
            CREATE SCHEMA IF NOT EXISTS {schema};
            CREATE TABLE IF NOT EXISTS {schema}.schema_migrations (
                version     integer     NOT NULL PRIMARY KEY,
                description text        NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            );
            """), transaction: transaction, cancellationToken: cancellationToken));

        var current = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            database.Sql("SELECT COALESCE(MAX(version), 0) FROM {schema}.schema_migrations;"), transaction: transaction,
            cancellationToken: cancellationToken));
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL schema '{database.Schema}' has version {current}, but this build of Gorgias.Integration knows " +
                $"versions up to {LatestVersion}. Run a newer build, or point Integration:PostgreSql:Schema at another schema.");
        }

        var applied = 0;
        foreach (var (version, description, sql) in All.Where(m => m.Version > current))
        {
            await connection.ExecuteAsync(new CommandDefinition(database.Sql(sql), transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                database.Sql("INSERT INTO {schema}.schema_migrations (version, description) VALUES (@Version, @Description);"),
                new { Version = version, Description = description }, transaction, cancellationToken: cancellationToken));
            applied++;
        }

        await transaction.CommitAsync(cancellationToken);
        return applied;
    }
}

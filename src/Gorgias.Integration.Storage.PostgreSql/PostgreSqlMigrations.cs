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
        (2, "installations, token sets, authorization requests and pending revocations", """
            -- The same contract as the SQLite adapter: instants as timestamptz (kept at millisecond precision by the
            -- adapter), ciphertexts as bytea, versions as bigint that never repeat per account.
            CREATE TABLE {schema}.installations (
                account               text        NOT NULL PRIMARY KEY,
                status                smallint    NOT NULL,
                scopes                text        NOT NULL,
                created_at            timestamptz NOT NULL,
                updated_at            timestamptz NOT NULL,
                activated_at          timestamptz NULL,
                version               bigint      NOT NULL CHECK (version > 0),
                -- The version of the last token set an uninstall deleted: a re-install continues after it.
                retired_token_version bigint      NOT NULL DEFAULT 0
            );

            CREATE TABLE {schema}.token_sets (
                account          text        NOT NULL PRIMARY KEY REFERENCES {schema}.installations (account),
                access_token     bytea       NOT NULL,
                refresh_token    bytea       NOT NULL,
                expires_at       timestamptz NOT NULL,
                scopes           text        NOT NULL,
                token_type       text        NOT NULL,
                issued_at        timestamptz NOT NULL,
                version          bigint      NOT NULL CHECK (version > 0),
                refresh_failures integer     NOT NULL DEFAULT 0,
                refresh_error    text        NULL,
                -- NULL: never failed since the last refresh (the worker lists those first, by expiry).
                next_refresh_at  timestamptz NULL
            );

            -- The worker's two scans, each an ordered range of its own partial index (no sort, stops at the limit):
            -- healthy accounts by expiry, and failing accounts whose backoff has passed, longest due first.
            CREATE INDEX ix_token_sets_expiring ON {schema}.token_sets (expires_at) INCLUDE (account)
                WHERE next_refresh_at IS NULL;
            CREATE INDEX ix_token_sets_failing_due ON {schema}.token_sets (next_refresh_at) INCLUDE (account, expires_at)
                WHERE next_refresh_at IS NOT NULL;

            -- Keyed by SHA-256(state): the state itself is never stored.
            CREATE TABLE {schema}.authorization_requests (
                state_hash      bytea       NOT NULL PRIMARY KEY CHECK (octet_length(state_hash) = 32),
                account         text        NOT NULL,
                nonce           bytea       NOT NULL,
                code_verifier   bytea       NULL,
                redirect_uri    text        NOT NULL,
                browser_binding text        NOT NULL,
                created_at      timestamptz NOT NULL,
                expires_at      timestamptz NOT NULL
            );

            -- The install cap's pending count and the purge of expired requests.
            CREATE INDEX ix_authorization_requests_expires_at ON {schema}.authorization_requests (expires_at);

            CREATE TABLE {schema}.pending_revocations (
                account         text        NOT NULL PRIMARY KEY REFERENCES {schema}.installations (account),
                refresh_token   bytea       NOT NULL,
                attempts        integer     NOT NULL DEFAULT 0,
                next_attempt_at timestamptz NOT NULL,
                created_at      timestamptz NOT NULL
            );

            -- The revocation worker's due scan.
            CREATE INDEX ix_pending_revocations_next_attempt_at ON {schema}.pending_revocations (next_attempt_at);
            """),
        (3, "ordinal index of installations for keyset pages", """
            -- Pages of installations are ordered by account COLLATE "C" (ordinal, as on SQLite); the primary key uses
            -- the database's collation, so without this index every page would sort the whole table.
            CREATE INDEX ix_installations_account_ordinal ON {schema}.installations (account COLLATE "C");
            """),
        PostgreSqlEventMigration.V4,
        (5, "used authorization requests instead of pending ones", """
            -- A pending authorization now travels in the state sent to Gorgias, encrypted for its account; only the
            -- used ones are recorded, keyed by SHA-256 of their id, until they expire. Installs in flight when this
            -- runs find their state refused and start again.
            DROP TABLE {schema}.authorization_requests;

            CREATE TABLE {schema}.used_authorization_requests (
                state_hash bytea       NOT NULL PRIMARY KEY CHECK (octet_length(state_hash) = 32),
                expires_at timestamptz NOT NULL
            );

            -- The purge of expired records.
            CREATE INDEX ix_used_authorization_requests_expires_at ON {schema}.used_authorization_requests (expires_at);
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
                $"versions up to {LatestVersion}. Run a newer build, or point Integration:Schema at another schema.");
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

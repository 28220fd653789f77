using Dapper;
using Microsoft.Data.Sqlite;

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>
/// The schema as an ordered list of versioned scripts. A script, once released, never changes: a later
/// change is a new version. Each is applied in its own <c>BEGIN IMMEDIATE</c> transaction together with its
/// <c>schema_migrations</c> row, so two processes starting at once apply it exactly once.
/// </summary>
internal static class SqliteMigrations
{
    /// <summary>Every migration, in order; versions are 1, 2, 3, …</summary>
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        new(1, "initial schema", """
            CREATE TABLE installations (
                account      TEXT    NOT NULL PRIMARY KEY,
                status       INTEGER NOT NULL,
                scopes       TEXT    NOT NULL,
                created_at   INTEGER NOT NULL,
                updated_at   INTEGER NOT NULL,
                activated_at INTEGER NULL,
                version      INTEGER NOT NULL CHECK (version > 0)
            ) STRICT;

            CREATE TABLE token_sets (
                account       TEXT    NOT NULL PRIMARY KEY REFERENCES installations (account),
                access_token  BLOB    NOT NULL,
                refresh_token BLOB    NOT NULL,
                expires_at    INTEGER NOT NULL,
                scopes        TEXT    NOT NULL,
                token_type    TEXT    NOT NULL,
                issued_at     INTEGER NOT NULL,
                version       INTEGER NOT NULL CHECK (version > 0)
            ) STRICT;

            -- Covers the refresh worker's "expiring soonest" scan: no table lookup, no sort.
            CREATE INDEX ix_token_sets_expires_at ON token_sets (expires_at, account);

            -- Keyed by SHA-256(state): the state itself is never stored.
            CREATE TABLE authorization_requests (
                state_hash      BLOB    NOT NULL PRIMARY KEY CHECK (length(state_hash) = 32),
                account         TEXT    NOT NULL,
                nonce           BLOB    NOT NULL,
                code_verifier   BLOB    NULL,
                redirect_uri    TEXT    NOT NULL,
                browser_binding TEXT    NOT NULL,
                created_at      INTEGER NOT NULL,
                expires_at      INTEGER NOT NULL
            ) STRICT, WITHOUT ROWID;

            CREATE INDEX ix_authorization_requests_expires_at ON authorization_requests (expires_at);

            -- For the uninstall feature: refresh tokens whose revocation at Gorgias failed and is retried.
            CREATE TABLE pending_revocations (
                account         TEXT    NOT NULL PRIMARY KEY REFERENCES installations (account),
                refresh_token   BLOB    NOT NULL,
                attempts        INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                created_at      INTEGER NOT NULL
            ) STRICT;

            CREATE INDEX ix_pending_revocations_next_attempt_at ON pending_revocations (next_attempt_at);
            """),
        new(2, "refresh failure records and never-repeating token-set versions", """
            -- Per account, since the last successful refresh: failures in a row, the last error code, and when the
            -- worker may try again (0 = never failed; the worker lists those first).
            ALTER TABLE token_sets ADD COLUMN refresh_failures INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE token_sets ADD COLUMN refresh_error TEXT NULL;
            ALTER TABLE token_sets ADD COLUMN next_refresh_at INTEGER NOT NULL DEFAULT 0;

            -- The version of the last token set an uninstall deleted: a re-install continues after it, so a refresh
            -- that read the old set can never match the new one.
            ALTER TABLE installations ADD COLUMN retired_token_version INTEGER NOT NULL DEFAULT 0;

            -- The worker's two scans: never-failed accounts by expiry (equality, then range: no sort, stops at the
            -- limit), and failing accounts whose backoff has passed, longest due first.
            DROP INDEX ix_token_sets_expires_at;
            CREATE INDEX ix_token_sets_refresh_due ON token_sets (next_refresh_at, expires_at, account);
            """),
        new(3, "refresh leases", """
            -- One row per account while an instance refreshes it (SECURITY.md row 53): taken by a conditional upsert,
            -- deleted by its holder after the save, and free for the taking once held_until (unix ms) has passed, so a
            -- holder that died blocks the others for at most Gorgias:RefreshLeaseTimeout. No foreign key: a lease
            -- outlives nothing, and an uninstall racing a refresh must not fail on it.
            CREATE TABLE refresh_leases (
                account    TEXT    NOT NULL PRIMARY KEY,
                holder     TEXT    NOT NULL,
                held_until INTEGER NOT NULL
            ) STRICT, WITHOUT ROWID;
            """),
        SqliteEventMigration.V4,
        new(5, "used authorization requests instead of pending ones", """
            -- A pending authorization now travels in the state sent to Gorgias, encrypted for its account; only the
            -- used ones are recorded, keyed by SHA-256 of their id, until they expire (unix ms). Installs in flight when
            -- this runs find their state refused and start again.
            DROP TABLE authorization_requests;

            CREATE TABLE used_authorization_requests (
                state_hash BLOB    NOT NULL PRIMARY KEY CHECK (length(state_hash) = 32),
                expires_at INTEGER NOT NULL
            ) STRICT, WITHOUT ROWID;

            CREATE INDEX ix_used_authorization_requests_expires_at ON used_authorization_requests (expires_at);
            """),
    ];

    /// <summary>The newest schema version this build knows.</summary>
    public static int LatestVersion => All[^1].Version;

    private const string CreateMigrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            applied_at TEXT NOT NULL
        );
        """;

    private const string SelectCurrentVersion = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;";

    private const string IsApplied = "SELECT COUNT(*) FROM schema_migrations WHERE version = @Version;";

    private const string RecordApplied = """
        INSERT INTO schema_migrations (version, applied_at)
        VALUES (@Version, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
        """;

    /// <summary>Switches the file to WAL and applies every migration not yet recorded in <c>schema_migrations</c>.</summary>
    public static async Task ApplyAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        // Stored in the file: later connections, in any process, open it in WAL mode.
        await connection.ExecuteScalarAsync<string>(
            new CommandDefinition("PRAGMA journal_mode = WAL;", cancellationToken: cancellationToken));

        await ThrowIfSchemaIsNewerAsync(connection, cancellationToken);

        foreach (var migration in All)
        {
            await using var transaction = SqliteDatabase.BeginImmediateTransaction(connection);
            await connection.ExecuteAsync(new CommandDefinition(CreateMigrationsTable, transaction: transaction,
                cancellationToken: cancellationToken));

            // Checked again under the write lock: another process may have applied it since we looked.
            var applied = await connection.ExecuteScalarAsync<long>(new CommandDefinition(IsApplied,
                new { migration.Version }, transaction, cancellationToken: cancellationToken));
            if (applied == 0)
            {
                await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction,
                    cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(RecordApplied, new { migration.Version },
                    transaction, cancellationToken: cancellationToken));
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    private static async Task ThrowIfSchemaIsNewerAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = SqliteDatabase.BeginImmediateTransaction(connection);
        await connection.ExecuteAsync(new CommandDefinition(CreateMigrationsTable, transaction: transaction,
            cancellationToken: cancellationToken));
        var current = await connection.ExecuteScalarAsync<long>(new CommandDefinition(SelectCurrentVersion,
            transaction: transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);

        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The database '{connection.DataSource}' has schema version {current}, but this build of " +
                $"Gorgias.Integration knows versions up to {LatestVersion}. Run a newer build or use another database file.");
        }
    }
}

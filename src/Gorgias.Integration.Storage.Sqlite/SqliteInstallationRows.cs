using Dapper;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Storage;
using Microsoft.Data.Sqlite;
using static Gorgias.Integration.Storage.Sqlite.SqliteValues;

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>
/// The SQL of <c>installations</c>, shared by the repository and the install/uninstall transactions so that neither
/// reaches into the other: optimistic concurrency on <c>version</c>.
/// </summary>
internal static class SqliteInstallationRows
{
    public const string SelectColumns = """
        SELECT account AS Account, status AS Status, scopes AS Scopes, created_at AS CreatedAt, updated_at AS UpdatedAt,
               activated_at AS ActivatedAt, version AS Version
        FROM installations
        """;

    public const string FindSql = SelectColumns + " WHERE account = @Account;";

    public const string ListSql = SelectColumns + " ORDER BY account;";

    // The primary key's order (BINARY, ordinal): a range scan of the key, no sort, whichever page.
    public const string ListPageSql = SelectColumns + " WHERE @After IS NULL OR account > @After ORDER BY account LIMIT @Limit;";

    // DO NOTHING instead of an exception: a lost race for a new account is an expected outcome, not an error.
    private const string InsertSql = """
        INSERT INTO installations (account, status, scopes, created_at, updated_at, activated_at, version)
        VALUES (@Account, @Status, @Scopes, @CreatedAt, @UpdatedAt, @ActivatedAt, 1)
        ON CONFLICT (account) DO NOTHING;
        """;

    private const string UpdateSql = """
        UPDATE installations
        SET status = @Status, scopes = @Scopes, updated_at = @UpdatedAt, activated_at = @ActivatedAt, version = version + 1
        WHERE account = @Account AND version = @Version;
        """;

    /// <summary>Inserts (version 0) or updates <paramref name="installation"/> in the caller's transaction, if any.</summary>
    public static async Task SaveAsync(SqliteConnection connection, SqliteTransaction? transaction,
        Installation installation, CancellationToken cancellationToken)
    {
        var parameters = new
        {
            Account = installation.Account.Value,
            Status = (long)installation.Status,
            Scopes = JoinScopes(installation.Scopes),
            CreatedAt = ToUnixMs(installation.CreatedAt),
            UpdatedAt = ToUnixMs(installation.UpdatedAt),
            ActivatedAt = ToUnixMs(installation.ActivatedAt),
            installation.Version,
        };

        if (installation.Version == 0)
        {
            var inserted = await connection.ExecuteAsync(new CommandDefinition(InsertSql, parameters, transaction,
                cancellationToken: cancellationToken));
            StoredConflicts.InstallationInserted(inserted, installation.Account);

            return;
        }

        var updated = await connection.ExecuteAsync(new CommandDefinition(UpdateSql, parameters, transaction,
            cancellationToken: cancellationToken));
        StoredConflicts.InstallationUpdated(updated, installation.Account, installation.Version);
    }

    public sealed class InstallationRow
    {
        public string Account { get; init; } = "";

        public long Status { get; init; }

        public string Scopes { get; init; } = "";

        public long CreatedAt { get; init; }

        public long UpdatedAt { get; init; }

        public long? ActivatedAt { get; init; }

        public long Version { get; init; }

        public Installation ToDomain() =>
            Installation.Restore(AccountName.Parse(Account), (InstallationStatus)Status, SplitScopes(Scopes),
                FromUnixMs(CreatedAt), FromUnixMs(UpdatedAt), FromUnixMs(ActivatedAt), Version);
    }
}

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

    /// <summary>
    /// Inserts (version 0) or updates <paramref name="installation"/> in the caller's transaction, if any, with the
    /// writer's compiled statements (every install and uninstall runs one).
    /// </summary>
    public static async Task SaveAsync(SqliteKeptConnection connection, SqliteTransaction? transaction,
        Installation installation, CancellationToken cancellationToken)
    {
        var isNew = installation.Version == 0;
        var command = connection.Statement(isNew ? InsertSql : UpdateSql, transaction);
        command.Bind("@Account", SqliteType.Text, installation.Account.Value);
        command.Bind("@Status", SqliteType.Integer, (long)installation.Status);
        command.Bind("@Scopes", SqliteType.Text, JoinScopes(installation.Scopes));
        command.Bind("@UpdatedAt", SqliteType.Integer, ToUnixMs(installation.UpdatedAt));
        command.Bind("@ActivatedAt", SqliteType.Integer, ToUnixMs(installation.ActivatedAt));
        if (isNew)
        {
            command.Bind("@CreatedAt", SqliteType.Integer, ToUnixMs(installation.CreatedAt));
            StoredConflicts.InstallationInserted(await command.ExecuteNonQueryAsync(cancellationToken), installation.Account);
            return;
        }

        command.Bind("@Version", SqliteType.Integer, installation.Version);
        StoredConflicts.InstallationUpdated(await command.ExecuteNonQueryAsync(cancellationToken), installation.Account, installation.Version);
    }

    /// <summary>The installation at the reader's row of a <see cref="SelectColumns"/> query.</summary>
    public static Installation Read(SqliteDataReader reader) =>
        Installation.Restore(AccountName.Parse(reader.GetString(0)), (InstallationStatus)reader.GetInt64(1), SplitScopes(reader.GetString(2)),
            FromUnixMs(reader.GetInt64(3)), FromUnixMs(reader.GetInt64(4)), reader.IsDBNull(5) ? null : FromUnixMs(reader.GetInt64(5)),
            reader.GetInt64(6));
}

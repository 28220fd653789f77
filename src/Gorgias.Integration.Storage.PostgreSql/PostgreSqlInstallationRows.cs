using Dapper;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Storage;
using Npgsql;
using static Gorgias.Integration.Storage.PostgreSql.PostgreSqlValues;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>
/// The SQL of <c>installations</c>, shared by the repository and the install/uninstall transactions so that neither
/// reaches into the other: optimistic concurrency on <c>version</c>.
/// </summary>
internal static class PostgreSqlInstallationRows
{
    public const string SelectColumns = """
        SELECT account AS Account, status AS Status, scopes AS Scopes, created_at AS CreatedAt, updated_at AS UpdatedAt,
               activated_at AS ActivatedAt, version AS Version
        FROM {schema}.installations
        """;

    public const string FindSql = SelectColumns + " WHERE account = @Account;";

    public const string ListSql = SelectColumns + " ORDER BY account COLLATE \"C\";";

    // Ordinal ("C") like ListSql, so pages follow the same order as the whole list and SQLite's.
    public const string ListPageSql = SelectColumns
        + " WHERE @After::text IS NULL OR account COLLATE \"C\" > @After::text ORDER BY account COLLATE \"C\" LIMIT @Limit;";

    // DO NOTHING instead of an exception: a lost race for a new account is an expected outcome, not an error (and an
    // error would abort the caller's transaction).
    private const string InsertSql = """
        INSERT INTO {schema}.installations (account, status, scopes, created_at, updated_at, activated_at, version)
        VALUES (@Account, @Status, @Scopes, @CreatedAt, @UpdatedAt, @ActivatedAt, 1)
        ON CONFLICT (account) DO NOTHING;
        """;

    // Under READ COMMITTED a concurrent writer's UPDATE waits for this row's lock and then re-checks the version, so of
    // two writers of one version exactly one matches.
    private const string UpdateSql = """
        UPDATE {schema}.installations
        SET status = @Status, scopes = @Scopes, updated_at = @UpdatedAt, activated_at = @ActivatedAt, version = version + 1
        WHERE account = @Account AND version = @Version;
        """;

    /// <summary>Inserts (version 0) or updates <paramref name="installation"/> in the caller's transaction, if any.</summary>
    public static async Task SaveAsync(PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction? transaction,
        Installation installation, CancellationToken cancellationToken)
    {
        var parameters = new
        {
            Account = installation.Account.Value,
            Status = (short)installation.Status,
            Scopes = JoinScopes(installation.Scopes),
            CreatedAt = ToStored(installation.CreatedAt),
            UpdatedAt = ToStored(installation.UpdatedAt),
            ActivatedAt = ToStored(installation.ActivatedAt),
            installation.Version,
        };

        if (installation.Version == 0)
        {
            var inserted = await connection.ExecuteAsync(new CommandDefinition(database.Sql(InsertSql), parameters, transaction,
                cancellationToken: cancellationToken));
            StoredConflicts.InstallationInserted(inserted, installation.Account);

            return;
        }

        var updated = await connection.ExecuteAsync(new CommandDefinition(database.Sql(UpdateSql), parameters, transaction,
            cancellationToken: cancellationToken));
        StoredConflicts.InstallationUpdated(updated, installation.Account, installation.Version);
    }

    public sealed class InstallationRow
    {
        public string Account { get; init; } = "";

        public short Status { get; init; }

        public string Scopes { get; init; } = "";

        public DateTime CreatedAt { get; init; }

        public DateTime UpdatedAt { get; init; }

        public DateTime? ActivatedAt { get; init; }

        public long Version { get; init; }

        public Installation ToDomain() =>
            Installation.Restore(AccountName.Parse(Account), (InstallationStatus)Status, SplitScopes(Scopes),
                FromStored(CreatedAt), FromStored(UpdatedAt), FromStored(ActivatedAt), Version);
    }
}

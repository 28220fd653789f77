using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Microsoft.Data.Sqlite;
using static Gorgias.Integration.Infrastructure.Persistence.SqliteValues;

namespace Gorgias.Integration.Infrastructure.Persistence;

/// <summary>Installations in <c>installations</c>, with optimistic concurrency on <c>version</c>.</summary>
internal sealed class SqliteInstallationRepository(SqliteDatabase database, SecretProtector protector) : IInstallationRepository
{
    private const string SelectColumns = """
        SELECT account AS Account, status AS Status, scopes AS Scopes, created_at AS CreatedAt, updated_at AS UpdatedAt,
               activated_at AS ActivatedAt, version AS Version
        FROM installations
        """;

    private const string FindSql = SelectColumns + " WHERE account = @Account;";

    private const string ListSql = SelectColumns + " ORDER BY account;";

    // DO NOTHING instead of an exception: a lost race for a new account is an expected outcome, not an error.
    private const string InsertSql = """
        INSERT INTO installations (account, status, scopes, created_at, updated_at, activated_at, version)
        VALUES (@Account, @Status, @Scopes, @CreatedAt, @UpdatedAt, @ActivatedAt, 1)
        ON CONFLICT (account) DO NOTHING;
        """;

    private const string DeleteTokenSetSql = "DELETE FROM token_sets WHERE account = @Account AND version = @Version;";

    private const string CountTokenSetsSql = "SELECT COUNT(*) FROM token_sets WHERE account = @Account;";

    private const string RetireTokenVersionSql = """
        UPDATE installations SET retired_token_version = max(retired_token_version, @Version) WHERE account = @Account;
        """;

    private const string UpdateSql = """
        UPDATE installations
        SET status = @Status, scopes = @Scopes, updated_at = @UpdatedAt, activated_at = @ActivatedAt, version = version + 1
        WHERE account = @Account AND version = @Version;
        """;

    public async Task<Installation?> FindAsync(AccountName account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<InstallationRow>(
            new CommandDefinition(FindSql, new { Account = account.Value }, cancellationToken: cancellationToken));
        return row?.ToDomain();
    }

    public async Task<IReadOnlyList<Installation>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<InstallationRow>(new CommandDefinition(ListSql, cancellationToken: cancellationToken));
        return [.. rows.Select(row => row.ToDomain())];
    }

    public async Task SaveAsync(Installation installation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(installation);
        await using var connection = await database.OpenAsync(cancellationToken);
        await SaveAsync(connection, transaction: null, installation, cancellationToken);
    }

    public async Task SaveAsync(Installation installation, TokenSet tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(installation);
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Account != installation.Account)
        {
            throw new ArgumentException(
                $"The token set is for '{tokens.Account}', the installation for '{installation.Account}'.", nameof(tokens));
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = SqliteDatabase.BeginImmediateTransaction(connection);
        await SaveAsync(connection, transaction, installation, cancellationToken);
        await SqliteTokenSetRepository.UpsertAsync(connection, transaction, tokens, protector, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task UninstallAsync(Installation installation, TokenSet? wiped, PendingRevocation? revocationToRetry,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(installation);
        if (wiped is not null && wiped.Account != installation.Account)
        {
            throw new ArgumentException($"The token set is for '{wiped.Account}', the installation for '{installation.Account}'.", nameof(wiped));
        }

        if (installation.Status != InstallationStatus.Uninstalled)
        {
            throw new ArgumentException($"Installation '{installation.Account}' is {installation.Status}, not uninstalled.", nameof(installation));
        }

        if (revocationToRetry is not null && revocationToRetry.Account != installation.Account)
        {
            throw new ArgumentException(
                $"The revocation is for '{revocationToRetry.Account}', the installation for '{installation.Account}'.", nameof(revocationToRetry));
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = SqliteDatabase.BeginImmediateTransaction(connection);
        await SaveAsync(connection, transaction, installation, cancellationToken);

        await DeleteTokenSetAsync(connection, transaction, installation.Account, wiped, cancellationToken);
        if (revocationToRetry is not null)
        {
            await SqlitePendingRevocationStore.QueueAsync(connection, transaction, revocationToRetry, protector, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes exactly the token set the uninstall read (row 40): a set refreshed or replaced since holds a token the
    /// caller does not revoke, so that is a conflict. The deleted version is kept for the next install to continue after.
    /// </summary>
    private static async Task DeleteTokenSetAsync(SqliteConnection connection, SqliteTransaction transaction, AccountName account,
        TokenSet? wiped, CancellationToken cancellationToken)
    {
        if (wiped is null)
        {
            var present = await connection.ExecuteScalarAsync<long>(new CommandDefinition(CountTokenSetsSql,
                new { Account = account.Value }, transaction, cancellationToken: cancellationToken));
            if (present == 0)
            {
                return;
            }

            throw new ConcurrencyException($"Account '{account}' has tokens the uninstall did not read. Read it again and decide again.");
        }

        // secure_delete is on: the token ciphertext is overwritten, not just unlinked (SECURITY.md row 30).
        var parameters = new { Account = account.Value, wiped.Version };
        var deleted = await connection.ExecuteAsync(new CommandDefinition(DeleteTokenSetSql, parameters, transaction,
            cancellationToken: cancellationToken));
        if (deleted == 0)
        {
            throw new ConcurrencyException(
                $"The token set of '{account}' is no longer at version {wiped.Version}: it was refreshed or replaced meanwhile. Read it again and decide again.");
        }

        await connection.ExecuteAsync(new CommandDefinition(RetireTokenVersionSql, parameters, transaction, cancellationToken: cancellationToken));
    }

    private static async Task SaveAsync(SqliteConnection connection, SqliteTransaction? transaction,
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
            if (inserted == 0)
            {
                throw new ConcurrencyException(
                    $"Installation '{installation.Account}' already exists: another writer created it first. Load it and decide again.");
            }

            return;
        }

        var updated = await connection.ExecuteAsync(new CommandDefinition(UpdateSql, parameters, transaction,
            cancellationToken: cancellationToken));
        if (updated == 0)
        {
            throw new ConcurrencyException(
                $"Installation '{installation.Account}' is no longer at version {installation.Version}: another writer " +
                "saved it first (or it was never stored). Load it and decide again.");
        }
    }

    private sealed class InstallationRow
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

using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Microsoft.Data.Sqlite;
using static Gorgias.Integration.Infrastructure.Persistence.SqliteValues;

namespace Gorgias.Integration.Infrastructure.Persistence;

/// <summary>Token sets in <c>token_sets</c>; access and refresh token encrypted per account.</summary>
internal sealed class SqliteTokenSetRepository(SqliteDatabase database, SecretProtector protector) : ITokenSetRepository
{
    /// <summary>
    /// Soonest expiry first, Active installations only; walks <c>ix_token_sets_expires_at</c> in order (no sort) with one
    /// primary-key lookup per row, and stops at the limit. Inactive rows are skipped here because their tokens keep their
    /// past expiry: returned, they would come first in every batch and starve the accounts that need a refresh.
    /// </summary>
    internal const string ListExpiringSql = """
        SELECT t.account FROM token_sets AS t
        JOIN installations AS i ON i.account = t.account
        WHERE t.expires_at < @ExpiringBefore AND i.status = @ActiveStatus
        ORDER BY t.expires_at
        LIMIT @Limit;
        """;

    /// <summary>Two primary-key lookups and no token column: what a cache needs to know whether its copy is current.</summary>
    internal const string AccessStampSql = """
        SELECT i.status AS Status, i.version AS InstallationVersion, t.version AS TokenSetVersion
        FROM installations AS i
        LEFT JOIN token_sets AS t ON t.account = i.account
        WHERE i.account = @Account;
        """;

    /// <summary>Replaces whatever token set the account has (a completed install or re-install).</summary>
    internal const string UpsertSql = """
        INSERT INTO token_sets (account, access_token, refresh_token, expires_at, scopes, token_type, issued_at, version)
        VALUES (@Account, @AccessToken, @RefreshToken, @ExpiresAt, @Scopes, @TokenType, @IssuedAt, 1)
        ON CONFLICT (account) DO UPDATE SET
            access_token = excluded.access_token,
            refresh_token = excluded.refresh_token,
            expires_at = excluded.expires_at,
            scopes = excluded.scopes,
            token_type = excluded.token_type,
            issued_at = excluded.issued_at,
            version = token_sets.version + 1;
        """;

    private const string SelectSql = """
        SELECT access_token AS AccessToken, refresh_token AS RefreshToken, expires_at AS ExpiresAt,
               scopes AS Scopes, token_type AS TokenType, issued_at AS IssuedAt, version AS Version
        FROM token_sets
        WHERE account = @Account;
        """;

    private const string UpdateSql = """
        UPDATE token_sets
        SET access_token = @AccessToken, refresh_token = @RefreshToken, expires_at = @ExpiresAt, scopes = @Scopes,
            token_type = @TokenType, issued_at = @IssuedAt, version = version + 1
        WHERE account = @Account AND version = @Version
        RETURNING version;
        """;

    public async Task<TokenSet?> FindAsync(AccountName account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TokenSetRow>(
            new CommandDefinition(SelectSql, new { Account = account.Value }, cancellationToken: cancellationToken));
        return row is null ? null : ToDomain(row, account);
    }

    public async Task<AccessStamp?> FindAccessStampAsync(AccountName account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AccessStampRow>(
            new CommandDefinition(AccessStampSql, new { Account = account.Value }, cancellationToken: cancellationToken));
        return row is null ? null : new AccessStamp((InstallationStatus)row.Status, row.InstallationVersion, row.TokenSetVersion);
    }

    public async Task<TokenSet> SaveAsync(TokenSet tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var parameters = ToParameters(tokens, protector);
        await using var connection = await database.OpenAsync(cancellationToken);

        // One statement: the version check and the write of both tokens are atomic without a transaction.
        var version = await connection.QuerySingleOrDefaultAsync<long?>(
            new CommandDefinition(UpdateSql, parameters, cancellationToken: cancellationToken));
        if (version is null)
        {
            throw new ConcurrencyException(
                $"The token set of '{tokens.Account}' is no longer at version {tokens.Version}: another writer saved it " +
                "first (or it was never stored). Reload it and decide again.");
        }

        // Times as stored (millisecond precision, UTC), so the result equals what FindAsync returns next.
        return TokenSet.Restore(tokens.Account, tokens.AccessToken, tokens.RefreshToken, FromUnixMs(ToUnixMs(tokens.ExpiresAt)),
            tokens.Scopes, tokens.TokenType, FromUnixMs(ToUnixMs(tokens.IssuedAt)), version.Value);
    }

    public async Task<IReadOnlyList<AccountName>> ListExpiringAsync(DateTimeOffset expiringBefore, int limit,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenAsync(cancellationToken);
        var accounts = await connection.QueryAsync<string>(new CommandDefinition(ListExpiringSql,
            new { ExpiringBefore = ToUnixMs(expiringBefore), Limit = limit, ActiveStatus = (int)InstallationStatus.Active }, cancellationToken: cancellationToken));
        return [.. accounts.Select(AccountName.Parse)];
    }

    /// <summary>Upserts <paramref name="tokens"/> inside the caller's transaction.</summary>
    internal static Task UpsertAsync(SqliteConnection connection, SqliteTransaction transaction, TokenSet tokens,
        SecretProtector protector, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(UpsertSql, ToParameters(tokens, protector), transaction,
            cancellationToken: cancellationToken));

    private static object ToParameters(TokenSet tokens, SecretProtector protector) => new
    {
        Account = tokens.Account.Value,
        AccessToken = protector.Protect(SecretProtector.TokenSetPurpose, tokens.Account, "access_token", tokens.AccessToken),
        RefreshToken = protector.Protect(SecretProtector.TokenSetPurpose, tokens.Account, "refresh_token", tokens.RefreshToken),
        ExpiresAt = ToUnixMs(tokens.ExpiresAt),
        Scopes = JoinScopes(tokens.Scopes),
        tokens.TokenType,
        IssuedAt = ToUnixMs(tokens.IssuedAt),
        tokens.Version,
    };

    private TokenSet ToDomain(TokenSetRow row, AccountName account) =>
        TokenSet.Restore(
            account,
            protector.Unprotect(SecretProtector.TokenSetPurpose, account, "access_token", row.AccessToken),
            protector.Unprotect(SecretProtector.TokenSetPurpose, account, "refresh_token", row.RefreshToken),
            FromUnixMs(row.ExpiresAt),
            SplitScopes(row.Scopes),
            row.TokenType,
            FromUnixMs(row.IssuedAt),
            row.Version);

    private sealed class AccessStampRow
    {
        public long Status { get; init; }

        public long InstallationVersion { get; init; }

        public long? TokenSetVersion { get; init; }
    }

    private sealed class TokenSetRow
    {
        public byte[] AccessToken { get; init; } = [];

        public byte[] RefreshToken { get; init; } = [];

        public long ExpiresAt { get; init; }

        public string Scopes { get; init; } = "";

        public string TokenType { get; init; } = "";

        public long IssuedAt { get; init; }

        public long Version { get; init; }
    }
}

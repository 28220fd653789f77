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
    /// <summary>An error code is Gorgias's OAuth <c>error</c> or our classification; longer ones are cut, never stored whole.</summary>
    private const int MaxErrorLength = 64;

    /// <summary>
    /// Accounts that never failed since their last refresh, soonest expiry first, installations holding tokens only:
    /// walks <c>ix_token_sets_refresh_due</c> at <c>next_refresh_at = 0</c> in expiry order (no sort) with one
    /// primary-key lookup per row, and stops at the limit. Inactive rows are skipped here because their tokens keep their
    /// past expiry: returned, they would come first in every batch and starve the accounts that need a refresh.
    /// </summary>
    internal const string ListExpiringSql = """
        SELECT t.account FROM token_sets AS t
        JOIN installations AS i ON i.account = t.account
        WHERE t.next_refresh_at = 0 AND t.expires_at < @ExpiringBefore AND i.status IN (@ActiveStatus, @FailingStatus)
        ORDER BY t.expires_at
        LIMIT @Limit;
        """;

    /// <summary>
    /// Failing accounts whose backoff has passed, longest due first: the range <c>0 &lt; next_refresh_at &lt;= now</c> of
    /// <c>ix_token_sets_refresh_due</c>. Listed after the healthy ones, so dead accounts never crowd them out of a batch.
    /// </summary>
    internal const string ListDueFailingSql = """
        SELECT t.account FROM token_sets AS t
        JOIN installations AS i ON i.account = t.account
        WHERE t.next_refresh_at > 0 AND t.next_refresh_at <= @Now AND t.expires_at < @ExpiringBefore
          AND i.status IN (@ActiveStatus, @FailingStatus)
        ORDER BY t.next_refresh_at
        LIMIT @Limit;
        """;

    private const string RecordFailureSql = """
        UPDATE token_sets
        SET refresh_failures = refresh_failures + 1, refresh_error = @Error,
            next_refresh_at = max(@Now + min(@FirstMs << min(refresh_failures, 20), @MaxMs), @Now + @RetryAfterMs)
        WHERE account = @Account AND version = @Version
        RETURNING expires_at AS ExpiresAt, refresh_failures AS Failures, refresh_error AS Error, next_refresh_at AS NextAttemptAt;
        """;

    private const string HealthColumns = """
        SELECT account AS Account, expires_at AS ExpiresAt, refresh_failures AS Failures, refresh_error AS Error,
               next_refresh_at AS NextAttemptAt
        FROM token_sets
        """;

    /// <summary>Two primary-key lookups and no token column: what a cache needs to know whether its copy is current.</summary>
    internal const string AccessStampSql = """
        SELECT i.status AS Status, i.version AS InstallationVersion, t.version AS TokenSetVersion
        FROM installations AS i
        LEFT JOIN token_sets AS t ON t.account = i.account
        WHERE i.account = @Account;
        """;

    /// <summary>
    /// Replaces whatever token set the account has (a completed install or re-install), failure record cleared. A new
    /// row continues after the version an uninstall deleted (row 40): versions never repeat for an account.
    /// </summary>
    internal const string UpsertSql = """
        INSERT INTO token_sets (account, access_token, refresh_token, expires_at, scopes, token_type, issued_at, version)
        VALUES (@Account, @AccessToken, @RefreshToken, @ExpiresAt, @Scopes, @TokenType, @IssuedAt,
                COALESCE((SELECT retired_token_version FROM installations WHERE account = @Account), 0) + 1)
        ON CONFLICT (account) DO UPDATE SET
            refresh_failures = 0,
            refresh_error = NULL,
            next_refresh_at = 0,
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
            token_type = @TokenType, issued_at = @IssuedAt, version = version + 1,
            refresh_failures = 0, refresh_error = NULL, next_refresh_at = 0
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

    public async Task<IReadOnlyList<AccountName>> ListExpiringAsync(DateTimeOffset expiringBefore, DateTimeOffset now, int limit,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenAsync(cancellationToken);
        var parameters = new
        {
            ExpiringBefore = ToUnixMs(expiringBefore),
            Now = ToUnixMs(now),
            Limit = limit,
            ActiveStatus = (int)InstallationStatus.Active,
            FailingStatus = (int)InstallationStatus.RefreshFailing,
        };
        var healthy = (await connection.QueryAsync<string>(
            new CommandDefinition(ListExpiringSql, parameters, cancellationToken: cancellationToken))).AsList();
        if (healthy.Count < limit)
        {
            healthy.AddRange(await connection.QueryAsync<string>(new CommandDefinition(ListDueFailingSql,
                parameters with { Limit = limit - healthy.Count }, cancellationToken: cancellationToken)));
        }

        return [.. healthy.Select(AccountName.Parse)];
    }

    public async Task<RefreshHealth?> RecordRefreshFailureAsync(TokenSet tokens, string error, DateTimeOffset now, TimeSpan? retryAfter,
        FailureBackoff backoff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentException.ThrowIfNullOrEmpty(error);
        var maxMs = (long)backoff.Max.TotalMilliseconds;
        var asked = retryAfter is { } wait ? Math.Clamp((long)wait.TotalMilliseconds, 0, maxMs) : 0;
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<HealthRow>(new CommandDefinition(RecordFailureSql, new
        {
            Account = tokens.Account.Value,
            tokens.Version,
            Error = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error,
            Now = ToUnixMs(now),
            FirstMs = Math.Max(1, (long)backoff.First.TotalMilliseconds),
            MaxMs = maxMs,
            RetryAfterMs = asked,
        }, cancellationToken: cancellationToken));
        return row?.ToHealth();
    }

    public async Task<RefreshHealth?> FindRefreshHealthAsync(AccountName account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<HealthRow>(new CommandDefinition(
            HealthColumns + " WHERE account = @Account;", new { Account = account.Value }, cancellationToken: cancellationToken));
        return row?.ToHealth();
    }

    public async Task<IReadOnlyDictionary<AccountName, RefreshHealth>> ListRefreshHealthAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<HealthRow>(new CommandDefinition(HealthColumns + ";", cancellationToken: cancellationToken));
        return rows.ToDictionary(row => AccountName.Parse(row.Account), row => row.ToHealth());
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

    private sealed class HealthRow
    {
        public string Account { get; init; } = "";

        public long ExpiresAt { get; init; }

        public long Failures { get; init; }

        public string? Error { get; init; }

        public long NextAttemptAt { get; init; }

        public RefreshHealth ToHealth() =>
            new(FromUnixMs(ExpiresAt), checked((int)Failures), Error, NextAttemptAt > 0 ? FromUnixMs(NextAttemptAt) : null);
    }

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

using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Gorgias.Integration.Infrastructure.Secrets;
using Gorgias.Integration.Infrastructure.Storage;
using static Gorgias.Integration.Storage.Sqlite.SqliteValues;

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>Token sets in <c>token_sets</c>; access and refresh token encrypted per account. Reads and writes no other table.</summary>
internal sealed class SqliteTokenSetRepository(SqliteDatabase database, SecretProtector protector) : ITokenSetRepository
{
    /// <summary>An error code is Gorgias's OAuth <c>error</c> or our classification; longer ones are cut, never stored whole.</summary>
    private const int MaxErrorLength = 64;

    private const string RecordFailureSql = """
        UPDATE token_sets
        SET refresh_failures = refresh_failures + 1, refresh_error = @Error,
            next_refresh_at = max(@Now + min(@FirstMs << min(refresh_failures, 20), @MaxMs), @Now + @RetryAfterMs)
        WHERE account = @Account AND version = @Version
        RETURNING expires_at AS ExpiresAt, refresh_failures AS Failures, refresh_error AS Error, next_refresh_at AS NextAttemptAt,
                  issued_at AS IssuedAt;
        """;

    private const string HealthColumns = """
        SELECT account AS Account, expires_at AS ExpiresAt, refresh_failures AS Failures, refresh_error AS Error,
               next_refresh_at AS NextAttemptAt, issued_at AS IssuedAt
        FROM token_sets
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

    public async Task<TokenSet> SaveAsync(TokenSet tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var parameters = SqliteTokenSetRows.ToParameters(tokens, protector);
        await using var connection = await database.OpenForWriteAsync(cancellationToken);

        // One statement: the version check and the write of both tokens are atomic without a transaction.
        var version = await connection.QuerySingleOrDefaultAsync<long?>(
            new CommandDefinition(UpdateSql, parameters, cancellationToken: cancellationToken));
        if (version is null)
        {
            throw StoredConflicts.TokenSetNotSaved(tokens);
        }

        // Times as stored (millisecond precision, UTC), so the result equals what FindAsync returns next.
        return TokenSet.Restore(tokens.Account, tokens.AccessToken, tokens.RefreshToken, FromUnixMs(ToUnixMs(tokens.ExpiresAt)),
            tokens.Scopes, tokens.TokenType, FromUnixMs(ToUnixMs(tokens.IssuedAt)), version.Value);
    }

    public async Task<RefreshHealth> RecordRefreshFailureAsync(TokenSet tokens, string error, DateTimeOffset now, TimeSpan? retryAfter,
        FailureBackoff backoff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentException.ThrowIfNullOrEmpty(error);
        var maxMs = (long)backoff.Max.TotalMilliseconds;
        var asked = retryAfter is { } wait ? Math.Clamp((long)wait.TotalMilliseconds, 0, maxMs) : 0;
        await using var connection = await database.OpenForWriteAsync(cancellationToken);
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
        return row?.ToHealth() ?? throw StoredConflicts.FailureNotCounted(tokens);
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

    public async Task<IReadOnlyDictionary<AccountName, RefreshHealth>> ListRefreshHealthAsync(
        IReadOnlyCollection<AccountName> accounts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        if (accounts.Count == 0)
        {
            return new Dictionary<AccountName, RefreshHealth>();
        }

        await using var connection = await database.OpenAsync(cancellationToken);

        // Dapper expands the list into one parameter per account; a page is at most 1,000, under SQLite's 32,766.
        var rows = await connection.QueryAsync<HealthRow>(new CommandDefinition(
            HealthColumns + " WHERE account IN @Accounts;", new { Accounts = accounts.Select(a => a.Value).ToArray() },
            cancellationToken: cancellationToken));
        return rows.ToDictionary(row => AccountName.Parse(row.Account), row => row.ToHealth());
    }

    private TokenSet ToDomain(TokenSetRow row, AccountName account) => protector.RestoreTokenSet(
        account, row.AccessToken, row.RefreshToken, FromUnixMs(row.ExpiresAt), row.Scopes, row.TokenType, FromUnixMs(row.IssuedAt), row.Version);

    private sealed class HealthRow
    {
        public string Account { get; init; } = "";

        public long ExpiresAt { get; init; }

        public long Failures { get; init; }

        public string? Error { get; init; }

        public long NextAttemptAt { get; init; }

        public long IssuedAt { get; init; }

        public RefreshHealth ToHealth() =>
            new(FromUnixMs(ExpiresAt), checked((int)Failures), Error, NextAttemptAt > 0 ? FromUnixMs(NextAttemptAt) : null)
            {
                AccessTokenIssuedAt = FromUnixMs(IssuedAt),
            };
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

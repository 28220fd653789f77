using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;
using static Gorgias.Integration.Storage.PostgreSql.PostgreSqlValues;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>The reads that join <c>installations</c> and <c>token_sets</c>; no token column is read.</summary>
internal sealed class PostgreSqlAccessQueries(PostgreSqlDatabase database) : IAccessQueries
{
    /// <summary>
    /// Accounts that never failed since their last refresh, soonest expiry first, installations holding tokens only:
    /// walks the partial index <c>ix_token_sets_expiring</c> in expiry order (no sort) with one primary-key lookup per
    /// row, and stops at the limit. Inactive rows are skipped here because their tokens keep their past expiry:
    /// returned, they would come first in every batch and starve the accounts that need a refresh.
    /// </summary>
    internal const string ListExpiringSql = """
        SELECT t.account FROM {schema}.token_sets AS t
        JOIN {schema}.installations AS i ON i.account = t.account
        WHERE t.next_refresh_at IS NULL AND t.expires_at < @ExpiringBefore AND i.status IN (@ActiveStatus, @FailingStatus)
        ORDER BY t.expires_at
        LIMIT @Limit;
        """;

    /// <summary>
    /// Failing accounts whose backoff has passed, longest due first: a range of the partial index
    /// <c>ix_token_sets_failing_due</c>. Listed after the healthy ones, so dead accounts never crowd them out of a batch.
    /// </summary>
    internal const string ListDueFailingSql = """
        SELECT t.account FROM {schema}.token_sets AS t
        JOIN {schema}.installations AS i ON i.account = t.account
        WHERE t.next_refresh_at IS NOT NULL AND t.next_refresh_at <= @Now AND t.expires_at < @ExpiringBefore
          AND i.status IN (@ActiveStatus, @FailingStatus)
        ORDER BY t.next_refresh_at
        LIMIT @Limit;
        """;

    /// <summary>Two primary-key lookups and no token column: what a cache needs to know whether its copy is current.</summary>
    internal const string AccessStampSql = """
        SELECT i.status AS Status, i.version AS InstallationVersion, t.version AS TokenSetVersion
        FROM {schema}.installations AS i
        LEFT JOIN {schema}.token_sets AS t ON t.account = i.account
        WHERE i.account = @Account;
        """;

    public async Task<AccessStamp?> FindAccessStampAsync(AccountName account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AccessStampRow>(
            new CommandDefinition(database.Sql(AccessStampSql), new { Account = account.Value }, cancellationToken: cancellationToken));
        return row is null ? null : new AccessStamp((InstallationStatus)row.Status, row.InstallationVersion, row.TokenSetVersion);
    }

    public async Task<IReadOnlyList<AccountName>> ListExpiringAsync(DateTimeOffset expiringBefore, DateTimeOffset now, int limit,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenAsync(cancellationToken);
        var parameters = new ListParameters(ToStored(expiringBefore), ToStored(now), limit,
            (short)InstallationStatus.Active, (short)InstallationStatus.RefreshFailing);
        var healthy = (await connection.QueryAsync<string>(
            new CommandDefinition(database.Sql(ListExpiringSql), parameters, cancellationToken: cancellationToken))).AsList();
        if (healthy.Count < limit)
        {
            healthy.AddRange(await connection.QueryAsync<string>(new CommandDefinition(database.Sql(ListDueFailingSql),
                parameters with { Limit = limit - healthy.Count }, cancellationToken: cancellationToken)));
        }

        return [.. healthy.Select(AccountName.Parse)];
    }

    private sealed record ListParameters(DateTimeOffset ExpiringBefore, DateTimeOffset Now, int Limit, short ActiveStatus, short FailingStatus);

    private sealed class AccessStampRow
    {
        public short Status { get; init; }

        public long InstallationVersion { get; init; }

        public long? TokenSetVersion { get; init; }
    }
}

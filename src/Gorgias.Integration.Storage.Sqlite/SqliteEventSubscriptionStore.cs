using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Inbox;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Events;
using Gorgias.Integration.Infrastructure.Secrets;
using static Gorgias.Integration.Storage.Sqlite.SqliteValues;

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary><see cref="IEventSubscriptionStore"/> in <c>event_subscriptions</c>, the secret encrypted per account and hashed.</summary>
internal sealed class SqliteEventSubscriptionStore(SqliteDatabase database, SecretProtector protector) : IEventSubscriptionStore
{
    private const string SecretField = "secret";

    private const string FindSql = """
        SELECT account AS Account, secret AS Secret, integration_ids AS IntegrationIds, status AS Status, last_error AS LastError,
               failures AS Failures, next_check_at AS NextCheckAt, updated_at AS UpdatedAt
        FROM event_subscriptions WHERE account = @Account;
        """;

    private const string HashSql = "SELECT secret_hash FROM event_subscriptions WHERE account = @Account;";

    private const string SaveSql = """
        INSERT INTO event_subscriptions (account, secret, secret_hash, integration_ids, status, last_error, failures, next_check_at, updated_at)
        VALUES (@Account, @Secret, @SecretHash, @IntegrationIds, @Status, @LastError, @Failures, @NextCheckAt, @UpdatedAt)
        ON CONFLICT (account) DO UPDATE SET
            secret = excluded.secret, secret_hash = excluded.secret_hash, integration_ids = excluded.integration_ids,
            status = excluded.status, last_error = excluded.last_error, failures = excluded.failures,
            next_check_at = excluded.next_check_at, updated_at = excluded.updated_at;
        """;

    // One statement under the file's write lock: two processes never claim the same account.
    private const string ClaimDueSql = """
        UPDATE event_subscriptions SET next_check_at = @LeaseUntil
        WHERE account IN (SELECT account FROM event_subscriptions WHERE next_check_at <= @Now ORDER BY next_check_at LIMIT @Limit)
        RETURNING account;
        """;

    private const string DeleteSql = "DELETE FROM event_subscriptions WHERE account = @Account;";

    public async Task<EventSubscription?> FindAsync(AccountName account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SubscriptionRow>(new CommandDefinition(FindSql,
            new { Account = account.Value }, cancellationToken: cancellationToken));
        return row is null ? null : new EventSubscription(account,
            protector.Unprotect(SecretProtector.EventSubscriptionPurpose, account, SecretField, row.Secret),
            EventSubscriptionIds.Parse(row.IntegrationIds), (EventSubscriptionStatus)row.Status, row.LastError, (int)row.Failures,
            FromUnixMs(row.NextCheckAt), FromUnixMs(row.UpdatedAt));
    }

    public async Task<byte[]?> FindSecretHashAsync(AccountName account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<byte[]?>(new CommandDefinition(HashSql, new { Account = account.Value },
            cancellationToken: cancellationToken));
    }

    public async Task SaveAsync(EventSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var account = subscription.Account;
        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(SaveSql, new
        {
            Account = account.Value,
            Secret = protector.Protect(SecretProtector.EventSubscriptionPurpose, account, SecretField, subscription.Secret),
            SecretHash = EventSubscriptionIds.HashOf(subscription.Secret),
            IntegrationIds = EventSubscriptionIds.Format(subscription.IntegrationIds),
            Status = (int)subscription.Status,
            subscription.LastError,
            subscription.Failures,
            NextCheckAt = ToUnixMs(subscription.NextCheckAt),
            UpdatedAt = ToUnixMs(subscription.UpdatedAt),
        }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<AccountName>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        var accounts = await connection.QueryAsync<string>(new CommandDefinition(ClaimDueSql,
            new { Now = ToUnixMs(now), LeaseUntil = ToUnixMs(now + lease), Limit = limit }, cancellationToken: cancellationToken));
        return [.. accounts.Order(StringComparer.Ordinal).Select(AccountName.Parse)];
    }

    public async Task<bool> DeleteAsync(AccountName account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { Account = account.Value }, cancellationToken: cancellationToken)) == 1;
    }

    private sealed record SubscriptionRow(string Account, byte[] Secret, string IntegrationIds, long Status, string? LastError,
        long Failures, long NextCheckAt, long UpdatedAt);
}

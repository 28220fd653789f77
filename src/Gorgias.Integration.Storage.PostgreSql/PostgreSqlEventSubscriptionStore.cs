using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Inbox;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Events;
using Gorgias.Integration.Infrastructure.Secrets;
using static Gorgias.Integration.Storage.PostgreSql.PostgreSqlValues;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary><see cref="IEventSubscriptionStore"/> in <c>event_subscriptions</c>, the secret encrypted per account and hashed.</summary>
internal sealed class PostgreSqlEventSubscriptionStore(PostgreSqlDatabase database, SecretProtector protector) : IEventSubscriptionStore
{
    private const string SecretField = "secret";

    private const string FindSql = """
        SELECT account AS Account, secret AS Secret, integration_ids AS IntegrationIds, status AS Status, last_error AS LastError,
               failures AS Failures, next_check_at AS NextCheckAt, updated_at AS UpdatedAt
        FROM {schema}.event_subscriptions WHERE account = @Account;
        """;

    private const string HashSql = "SELECT secret_hash FROM {schema}.event_subscriptions WHERE account = @Account;";

    private const string SaveSql = """
        INSERT INTO {schema}.event_subscriptions (account, secret, secret_hash, integration_ids, status, last_error, failures, next_check_at, updated_at)
        VALUES (@Account, @Secret, @SecretHash, @IntegrationIds, @Status, @LastError, @Failures, @NextCheckAt, @UpdatedAt)
        ON CONFLICT (account) DO UPDATE SET
            secret = excluded.secret, secret_hash = excluded.secret_hash, integration_ids = excluded.integration_ids,
            status = excluded.status, last_error = excluded.last_error, failures = excluded.failures,
            next_check_at = excluded.next_check_at, updated_at = excluded.updated_at;
        """;

    // Instances claiming at once skip each other's rows; a row claimed and committed meanwhile is re-checked and left out.
    private const string ClaimDueSql = """
        WITH due AS (
            SELECT account FROM {schema}.event_subscriptions WHERE next_check_at <= @Now
            ORDER BY next_check_at LIMIT @Limit FOR UPDATE SKIP LOCKED)
        UPDATE {schema}.event_subscriptions AS s SET next_check_at = @LeaseUntil FROM due WHERE s.account = due.account
        RETURNING s.account;
        """;

    private const string DeleteSql = "DELETE FROM {schema}.event_subscriptions WHERE account = @Account;";

    public async Task<EventSubscription?> FindAsync(AccountName account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SubscriptionRow>(new CommandDefinition(database.Sql(FindSql),
            new { Account = account.Value }, cancellationToken: cancellationToken));
        return row is null ? null : new EventSubscription(account,
            protector.Unprotect(SecretProtector.EventSubscriptionPurpose, account, SecretField, row.Secret),
            EventSubscriptionIds.Parse(row.IntegrationIds), (EventSubscriptionStatus)row.Status, row.LastError, row.Failures,
            FromStored(row.NextCheckAt), FromStored(row.UpdatedAt));
    }

    public async Task<byte[]?> FindSecretHashAsync(AccountName account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<byte[]?>(new CommandDefinition(database.Sql(HashSql), new { Account = account.Value },
            cancellationToken: cancellationToken));
    }

    public async Task SaveAsync(EventSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var account = subscription.Account;
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(database.Sql(SaveSql), new
        {
            Account = account.Value,
            Secret = protector.Protect(SecretProtector.EventSubscriptionPurpose, account, SecretField, subscription.Secret),
            SecretHash = EventSubscriptionIds.HashOf(subscription.Secret),
            IntegrationIds = EventSubscriptionIds.Format(subscription.IntegrationIds),
            Status = (short)subscription.Status,
            subscription.LastError,
            subscription.Failures,
            NextCheckAt = ToStored(subscription.NextCheckAt),
            UpdatedAt = ToStored(subscription.UpdatedAt),
        }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<AccountName>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenAsync(cancellationToken);
        var accounts = await connection.QueryAsync<string>(new CommandDefinition(database.Sql(ClaimDueSql),
            new { Now = ToStored(now), LeaseUntil = ToStored(now + lease), Limit = limit }, cancellationToken: cancellationToken));
        return [.. accounts.Order(StringComparer.Ordinal).Select(AccountName.Parse)];
    }

    public async Task<bool> DeleteAsync(AccountName account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(database.Sql(DeleteSql), new { Account = account.Value }, cancellationToken: cancellationToken)) == 1;
    }

    private sealed record SubscriptionRow(string Account, byte[] Secret, string IntegrationIds, short Status, string? LastError,
        int Failures, DateTime NextCheckAt, DateTime UpdatedAt);
}

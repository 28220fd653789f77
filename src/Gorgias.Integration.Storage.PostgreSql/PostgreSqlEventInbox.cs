using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Inbox;
using Gorgias.Integration.Domain.Installations;
using static Gorgias.Integration.Storage.PostgreSql.PostgreSqlValues;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>
/// <see cref="IEventInbox"/> in <c>event_inbox</c>. The claim locks the due heads of their accounts with
/// <c>FOR UPDATE SKIP LOCKED</c> and moves their due time one lease ahead in the same statement: instances claiming at
/// once skip each other's rows instead of waiting, and a row another instance claimed and committed meanwhile is re-checked
/// (no longer due) and left out, so each event goes to one instance.
/// </summary>
internal sealed class PostgreSqlEventInbox(PostgreSqlDatabase database) : IEventInbox
{
    private const string Columns = """
        id AS Id, account AS Account, event_name AS EventName, delivery_key AS DeliveryKey, ticket_id AS TicketId,
        message_id AS MessageId, occurred_at AS OccurredAt, received_at AS ReceivedAt, payload AS Payload, attempts AS Attempts,
        next_attempt_at AS NextAttemptAt, handled_at AS HandledAt, parked_at AS ParkedAt, last_error AS LastError
        """;

    private const string AddSql = """
        INSERT INTO {schema}.event_inbox (account, event_name, delivery_key, ticket_id, message_id, occurred_at, received_at, payload, attempts, next_attempt_at)
        VALUES (@Account, @EventName, @DeliveryKey, @TicketId, @MessageId, @OccurredAt, @ReceivedAt, @Payload, 0, @NextAttemptAt)
        ON CONFLICT ON CONSTRAINT uq_event_inbox_delivery DO NOTHING;
        """;

    // Each account's head (its oldest pending event, DISTINCT ON over ix_event_inbox_pending), if due. The conditions are
    // repeated on the locked row itself, so a head another instance claimed and committed meanwhile is re-checked on its
    // newest version (no longer due) and left out; a claimed head is not due until its lease ends, so the account's next
    // event waits for it.
    private const string ClaimSql = """
        WITH heads AS (
            SELECT DISTINCT ON (account) id FROM {schema}.event_inbox
            WHERE handled_at IS NULL AND parked_at IS NULL
            ORDER BY account, id),
        claimable AS (
            SELECT e.id FROM {schema}.event_inbox e JOIN heads ON heads.id = e.id
            WHERE e.handled_at IS NULL AND e.parked_at IS NULL AND e.next_attempt_at <= @Now
            ORDER BY e.id LIMIT @Limit
            FOR UPDATE OF e SKIP LOCKED)
        UPDATE {schema}.event_inbox AS t SET attempts = t.attempts + 1, next_attempt_at = @LeaseUntil
        FROM claimable WHERE t.id = claimable.id
        RETURNING
        """ + " t.id AS Id, t.account AS Account, t.event_name AS EventName, t.delivery_key AS DeliveryKey, t.ticket_id AS TicketId, "
        + "t.message_id AS MessageId, t.occurred_at AS OccurredAt, t.received_at AS ReceivedAt, t.payload AS Payload, t.attempts AS Attempts, "
        + "t.next_attempt_at AS NextAttemptAt, t.handled_at AS HandledAt, t.parked_at AS ParkedAt, t.last_error AS LastError;";

    private const string Claimed = " WHERE id = @Id AND attempts = @Attempts AND handled_at IS NULL AND parked_at IS NULL;";

    private const string HandledSql = "UPDATE {schema}.event_inbox SET handled_at = @Now" + Claimed;

    private const string RetrySql = "UPDATE {schema}.event_inbox SET next_attempt_at = @NextAttemptAt, last_error = @Error" + Claimed;

    private const string ParkSql = "UPDATE {schema}.event_inbox SET parked_at = @Now, last_error = @Error" + Claimed;

    private const string RecentSql = "SELECT " + Columns + " FROM {schema}.event_inbox ORDER BY id DESC LIMIT @Limit;";

    private const string RecentOfAccountSql = "SELECT " + Columns + " FROM {schema}.event_inbox WHERE account = @Account ORDER BY id DESC LIMIT @Limit;";

    private const string PurgeSql = "DELETE FROM {schema}.event_inbox WHERE handled_at < @Before;";

    private const string PurgeOfAccountSql = "DELETE FROM {schema}.event_inbox WHERE handled_at < @Before AND account = @Account;";

    public async Task<bool> AddAsync(InboxEvent received, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(received);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(database.Sql(AddSql), new
        {
            Account = received.Account.Value,
            received.EventName,
            received.DeliveryKey,
            received.TicketId,
            received.MessageId,
            OccurredAt = ToStored(received.OccurredAt),
            ReceivedAt = ToStored(received.ReceivedAt),
            received.Payload,
            NextAttemptAt = ToStored(received.NextAttemptAt),
        }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<IReadOnlyList<InboxEvent>> ClaimAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<InboxRow>(new CommandDefinition(database.Sql(ClaimSql),
            new { Now = ToStored(now), LeaseUntil = ToStored(now + lease), Limit = limit }, cancellationToken: cancellationToken));
        return [.. rows.OrderBy(r => r.Id).Select(r => r.ToDomain())];
    }

    public Task<bool> MarkHandledAsync(InboxEvent claimed, DateTimeOffset now, CancellationToken cancellationToken) =>
        ChangeAsync(HandledSql, claimed, new { Now = ToStored(now) }, cancellationToken);

    public Task<bool> RetryLaterAsync(InboxEvent claimed, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken) =>
        ChangeAsync(RetrySql, claimed, new { NextAttemptAt = ToStored(nextAttemptAt), Error = error }, cancellationToken);

    public Task<bool> ParkAsync(InboxEvent claimed, DateTimeOffset now, string error, CancellationToken cancellationToken) =>
        ChangeAsync(ParkSql, claimed, new { Now = ToStored(now), Error = error }, cancellationToken);

    public async Task<IReadOnlyList<InboxEvent>> ListRecentAsync(AccountName? account, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<InboxRow>(new CommandDefinition(database.Sql(account is null ? RecentSql : RecentOfAccountSql),
            new { Account = account?.Value, Limit = limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToDomain())];
    }

    public async Task<int> PurgeHandledAsync(AccountName? account, DateTimeOffset handledBefore, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(database.Sql(account is null ? PurgeSql : PurgeOfAccountSql),
            new { Account = account?.Value, Before = ToStored(handledBefore) }, cancellationToken: cancellationToken));
    }

    private async Task<bool> ChangeAsync(string sql, InboxEvent claimed, object values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        var parameters = new DynamicParameters(values);
        parameters.Add("Id", claimed.Id);
        parameters.Add("Attempts", claimed.Attempts);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(database.Sql(sql), parameters, cancellationToken: cancellationToken)) == 1;
    }

    private sealed record InboxRow(long Id, string Account, string EventName, string DeliveryKey, long? TicketId, long? MessageId,
        DateTime? OccurredAt, DateTime ReceivedAt, string Payload, int Attempts, DateTime NextAttemptAt, DateTime? HandledAt, DateTime? ParkedAt, string? LastError)
    {
        public InboxEvent ToDomain() => new(Id, AccountName.Parse(Account), EventName, DeliveryKey, TicketId, MessageId,
            FromStored(OccurredAt), FromStored(ReceivedAt), Payload, Attempts, FromStored(NextAttemptAt),
            FromStored(HandledAt), FromStored(ParkedAt), LastError);
    }
}

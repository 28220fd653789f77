using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Inbox;
using Gorgias.Integration.Domain.Installations;
using static Gorgias.Integration.Storage.Sqlite.SqliteValues;

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>
/// <see cref="IEventInbox"/> in <c>event_inbox</c>. The claim is one conditional <c>UPDATE … RETURNING</c>: SQLite runs
/// it under the file's write lock, so of any number of processes claiming at once each event goes to one, and the due
/// time it moves ahead is the claim's bounded lease (<c>Gorgias:Events:DispatchLease</c>).
/// </summary>
internal sealed class SqliteEventInbox(SqliteDatabase database) : IEventInbox
{
    private const string Columns = """
        id AS Id, account AS Account, event_name AS EventName, delivery_key AS DeliveryKey, ticket_id AS TicketId,
        message_id AS MessageId, occurred_at AS OccurredAt, received_at AS ReceivedAt, payload AS Payload, attempts AS Attempts,
        next_attempt_at AS NextAttemptAt, handled_at AS HandledAt, parked_at AS ParkedAt, last_error AS LastError
        """;

    private const string AddSql = """
        INSERT INTO event_inbox (account, event_name, delivery_key, ticket_id, message_id, occurred_at, received_at, payload, attempts, next_attempt_at)
        VALUES (@Account, @EventName, @DeliveryKey, @TicketId, @MessageId, @OccurredAt, @ReceivedAt, @Payload, 0, @NextAttemptAt)
        ON CONFLICT (account, delivery_key) DO NOTHING;
        """;

    // Each account's oldest pending event (ix_event_inbox_pending), if due; a claimed one is not due until its lease ends,
    // so the account's next event waits for it.
    private const string ClaimSql = """
        UPDATE event_inbox SET attempts = attempts + 1, next_attempt_at = @LeaseUntil
        WHERE id IN (
            SELECT id FROM event_inbox
            WHERE id IN (SELECT MIN(id) FROM event_inbox WHERE handled_at IS NULL AND parked_at IS NULL GROUP BY account)
              AND next_attempt_at <= @Now
            ORDER BY id LIMIT @Limit)
        RETURNING 
        """ + Columns + ";";

    private const string Claimed = " WHERE id = @Id AND attempts = @Attempts AND handled_at IS NULL AND parked_at IS NULL;";

    private const string HandledSql = "UPDATE event_inbox SET handled_at = @Now" + Claimed;

    private const string RetrySql = "UPDATE event_inbox SET next_attempt_at = @NextAttemptAt, last_error = @Error" + Claimed;

    private const string ParkSql = "UPDATE event_inbox SET parked_at = @Now, last_error = @Error" + Claimed;

    private const string RecentSql = "SELECT " + Columns + " FROM event_inbox WHERE (@Account IS NULL OR account = @Account) ORDER BY id DESC LIMIT @Limit;";

    private const string PurgeSql = "DELETE FROM event_inbox WHERE handled_at IS NOT NULL AND handled_at < @Before AND (@Account IS NULL OR account = @Account);";

    public async Task<bool> AddAsync(InboxEvent received, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(received);
        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(AddSql, new
        {
            Account = received.Account.Value,
            received.EventName,
            received.DeliveryKey,
            received.TicketId,
            received.MessageId,
            OccurredAt = ToUnixMs(received.OccurredAt),
            ReceivedAt = ToUnixMs(received.ReceivedAt),
            received.Payload,
            NextAttemptAt = ToUnixMs(received.NextAttemptAt),
        }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<IReadOnlyList<InboxEvent>> ClaimAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        var rows = await connection.QueryAsync<InboxRow>(new CommandDefinition(ClaimSql,
            new { Now = ToUnixMs(now), LeaseUntil = ToUnixMs(now + lease), Limit = limit }, cancellationToken: cancellationToken));
        return [.. rows.OrderBy(r => r.Id).Select(r => r.ToDomain())];
    }

    public Task<bool> MarkHandledAsync(InboxEvent claimed, DateTimeOffset now, CancellationToken cancellationToken) =>
        ChangeAsync(HandledSql, claimed, new { Now = ToUnixMs(now) }, cancellationToken);

    public Task<bool> RetryLaterAsync(InboxEvent claimed, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken) =>
        ChangeAsync(RetrySql, claimed, new { NextAttemptAt = ToUnixMs(nextAttemptAt), Error = error }, cancellationToken);

    public Task<bool> ParkAsync(InboxEvent claimed, DateTimeOffset now, string error, CancellationToken cancellationToken) =>
        ChangeAsync(ParkSql, claimed, new { Now = ToUnixMs(now), Error = error }, cancellationToken);

    public async Task<IReadOnlyList<InboxEvent>> ListRecentAsync(AccountName? account, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<InboxRow>(new CommandDefinition(RecentSql,
            new { Account = account?.Value, Limit = limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToDomain())];
    }

    public async Task<int> PurgeHandledAsync(AccountName? account, DateTimeOffset handledBefore, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        var before = handledBefore == DateTimeOffset.MaxValue ? long.MaxValue : ToUnixMs(handledBefore);
        return await connection.ExecuteAsync(new CommandDefinition(PurgeSql, new { Account = account?.Value, Before = before },
            cancellationToken: cancellationToken));
    }

    private async Task<bool> ChangeAsync(string sql, InboxEvent claimed, object values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        var parameters = new DynamicParameters(values);
        parameters.Add("Id", claimed.Id);
        parameters.Add("Attempts", claimed.Attempts);
        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)) == 1;
    }

    private sealed record InboxRow(long Id, string Account, string EventName, string DeliveryKey, long? TicketId, long? MessageId,
        long? OccurredAt, long ReceivedAt, string Payload, long Attempts, long NextAttemptAt, long? HandledAt, long? ParkedAt, string? LastError)
    {
        public InboxEvent ToDomain() => new(Id, AccountName.Parse(Account), EventName, DeliveryKey, TicketId, MessageId,
            FromUnixMs(OccurredAt), FromUnixMs(ReceivedAt), Payload, (int)Attempts, FromUnixMs(NextAttemptAt),
            FromUnixMs(HandledAt), FromUnixMs(ParkedAt), LastError);
    }
}

using Gorgias.Integration.Domain.Inbox;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>
/// The events Gorgias delivered, kept until the host's handler took them (<see cref="InboxEvent"/>). Unique per account
/// by delivery key. A claim hands each pending event to one dispatcher, of any number of instances sharing the
/// storage, and only the oldest pending event of an account, so an account's events are handled in arrival order.
/// Every change after a claim is conditional on the attempts the event was claimed at: a dispatcher whose lease ran
/// out and whose event was claimed again changes nothing (the call returns false).
/// </summary>
public interface IEventInbox
{
    /// <summary>Stores <paramref name="received"/>; false (and nothing changed) when the account already has its delivery key.</summary>
    Task<bool> AddAsync(InboxEvent received, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="limit"/> due events, the oldest pending one of each account whose oldest is due:
    /// attempts raised by one, due time moved to <paramref name="now"/> + <paramref name="lease"/>. Returns them as claimed.
    /// </summary>
    Task<IReadOnlyList<InboxEvent>> ClaimAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken);

    /// <summary>Marks a claimed event handled at <paramref name="now"/>.</summary>
    Task<bool> MarkHandledAsync(InboxEvent claimed, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>After a failed attempt: due again at <paramref name="nextAttemptAt"/>, with the error kept.</summary>
    Task<bool> RetryLaterAsync(InboxEvent claimed, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken);

    /// <summary>After the last allowed attempt failed: parked at <paramref name="now"/> (kept for an operator, not retried), with the error.</summary>
    Task<bool> ParkAsync(InboxEvent claimed, DateTimeOffset now, string error, CancellationToken cancellationToken);

    /// <summary>The newest events, of one account or all, newest first (for an operator or a start page).</summary>
    Task<IReadOnlyList<InboxEvent>> ListRecentAsync(AccountName? account, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes handled events handled before <paramref name="handledBefore"/>, of one account or all; returns how many.</summary>
    Task<int> PurgeHandledAsync(AccountName? account, DateTimeOffset handledBefore, CancellationToken cancellationToken);
}

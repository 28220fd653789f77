using Gorgias.Integration.Domain.Common;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Domain.Inbox;

/// <summary>
/// One event Gorgias delivered to the app, as kept in the inbox until the host's handler took it. Stored before the
/// delivery is answered, so an answered delivery is never lost; unique per account by <see cref="DeliveryKey"/>, so a
/// retried or replayed delivery lands once. Its <see cref="NextAttemptAt"/> is also the lease of a dispatch in flight:
/// a dispatcher claims the event by raising <see cref="Attempts"/> and moving the due time one lease ahead, and every
/// later change is conditional on the attempts it claimed at.
/// </summary>
/// <param name="Id">The inbox's own sequence number (0 before it is stored); the dispatch order within an account.</param>
/// <param name="Account">The account the delivery came for.</param>
/// <param name="EventName">The trigger, e.g. <c>ticket-created</c>.</param>
/// <param name="DeliveryKey">What makes two deliveries the same event: the payload's <c>delivery_key</c>, else the SHA-256 of the body.</param>
/// <param name="TicketId">The ticket the event is about, when the payload names one.</param>
/// <param name="MessageId">The message the event is about, when the payload names one.</param>
/// <param name="OccurredAt">When it happened at Gorgias (the payload's timestamp), when the payload says.</param>
/// <param name="ReceivedAt">When the delivery was stored.</param>
/// <param name="Payload">The delivery's body as received (JSON).</param>
/// <param name="Attempts">Dispatch attempts started so far.</param>
/// <param name="NextAttemptAt">When the next dispatch attempt is due (during an attempt: when its lease ends).</param>
/// <param name="HandledAt">When a handler took it; null while it waits.</param>
/// <param name="ParkedAt">When it was set aside after too many failed attempts; null otherwise.</param>
/// <param name="LastError">The last failed attempt's exception type and message; null when none failed.</param>
public sealed record InboxEvent(
    long Id,
    AccountName Account,
    string EventName,
    string DeliveryKey,
    long? TicketId,
    long? MessageId,
    DateTimeOffset? OccurredAt,
    DateTimeOffset ReceivedAt,
    string Payload,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? HandledAt,
    DateTimeOffset? ParkedAt,
    string? LastError)
{
    /// <summary>The longest event name kept (Gorgias's triggers are short kebab-case words).</summary>
    public const int MaxEventNameLength = 64;

    /// <summary>The longest delivery key kept.</summary>
    public const int MaxDeliveryKeyLength = 128;

    /// <summary>The longest error text kept.</summary>
    public const int MaxErrorLength = 500;

    /// <summary>True while the event waits for a handler (neither handled nor parked).</summary>
    public bool IsPending => HandledAt is null && ParkedAt is null;

    /// <summary>A delivery just received, due at once.</summary>
    public static InboxEvent Receive(AccountName account, string eventName, string deliveryKey, long? ticketId, long? messageId,
        DateTimeOffset? occurredAt, string payload, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(payload);
        DomainException.ThrowUnless(IsEventName(eventName),
            $"An event name is 1–{MaxEventNameLength} lower-case letters, digits, '-' or '_' (e.g. ticket-created).");
        DomainException.ThrowUnless(!string.IsNullOrEmpty(deliveryKey) && deliveryKey.Length <= MaxDeliveryKeyLength,
            $"A delivery key is 1–{MaxDeliveryKeyLength} characters.");
        return new InboxEvent(0, account, eventName, deliveryKey, ticketId, messageId, occurredAt, now, payload,
            Attempts: 0, NextAttemptAt: now, HandledAt: null, ParkedAt: null, LastError: null);
    }

    /// <summary>True when <paramref name="value"/> can be an event name.</summary>
    public static bool IsEventName(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxEventNameLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The wait after the <paramref name="attempts"/>-th failed attempt (≥ 1): <paramref name="first"/>, doubling with each
    /// attempt, never more than <paramref name="max"/>.
    /// </summary>
    public static TimeSpan Backoff(int attempts, TimeSpan first, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempts);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(first, TimeSpan.Zero);

        // Compared before multiplying, so a long run of failures cannot overflow.
        var factor = 1L << Math.Min(attempts - 1, 30);
        return first.Ticks > max.Ticks / factor ? max : TimeSpan.FromTicks(first.Ticks * factor);
    }

    /// <summary>An error text short enough to keep, never empty.</summary>
    public static string ErrorText(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var text = $"{exception.GetType().Name}: {exception.Message}";
        return text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];
    }

    /// <summary>Never prints the payload.</summary>
    public override string ToString() =>
        $"InboxEvent {{ Id = {Id}, Account = {Account}, EventName = {EventName}, Attempts = {Attempts}, NextAttemptAt = {NextAttemptAt:O} }}";
}

using Gorgias.Integration.Domain.Installations;
using Mediator;

namespace Gorgias.Integration.Application.Notifications;

/// <summary>
/// An event Gorgias delivered, handed to the host at least once, in arrival order per account. A host handles it with
/// an <c>INotificationHandler&lt;GorgiasEventReceived&gt;</c> registered in DI; a handler that throws gets the event again
/// later (growing delay), until <c>Gorgias:Events:MaxAttempts</c>, after which it is parked. Handlers should be
/// idempotent on <see cref="DeliveryKey"/>: an instance that dies mid-handler, or a handler that outlives
/// <c>Gorgias:Events:DispatchLease</c>, sees the event again.
/// </summary>
/// <param name="Account">The account.</param>
/// <param name="EventName">The trigger, e.g. <c>ticket-created</c>.</param>
/// <param name="TicketId">The ticket, when the delivery names one.</param>
/// <param name="MessageId">The message, when the delivery names one.</param>
/// <param name="OccurredAt">When it happened at Gorgias, when the delivery says.</param>
/// <param name="ReceivedAt">When the app stored the delivery.</param>
/// <param name="Payload">The delivery's JSON body as received.</param>
/// <param name="DeliveryKey">What identifies the event across retries and replays.</param>
/// <param name="Attempt">1 on the first hand-over, more after failures.</param>
public sealed record GorgiasEventReceived(
    AccountName Account,
    string EventName,
    long? TicketId,
    long? MessageId,
    DateTimeOffset? OccurredAt,
    DateTimeOffset ReceivedAt,
    string Payload,
    string DeliveryKey,
    int Attempt) : INotification;

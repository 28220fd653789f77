using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Notifications;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Domain.Inbox;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Application.Installations.DispatchEvents;

/// <summary>
/// At least once, in order per account: a claim returns at most the oldest pending event of each account, so an
/// account's next event is claimed only after the previous one was handled or parked. Accounts are handled in
/// parallel; each event in its own DI scope, as a request would be. A handler that throws leaves the event due again
/// after a growing delay; after <c>Gorgias:Events:MaxAttempts</c> it is parked, logged, and the account's next event
/// goes ahead. A lost claim (this instance outlived its lease and another took the event) changes nothing.
/// </summary>
internal sealed partial class DispatchEventsHandler(
    IServiceScopeFactory scopes,
    IEventInbox inbox,
    IOptions<GorgiasEventOptions> options,
    TimeProvider time,
    ILogger<DispatchEventsHandler> logger) : ICommandHandler<DispatchEventsCommand, DispatchEventsReport>
{
    private const int MaxParallelism = 8;

    public async ValueTask<DispatchEventsReport> Handle(DispatchEventsCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var settings = options.Value;
        int handled = 0, retried = 0, parked = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = MaxParallelism, CancellationToken = cancellationToken };
        for (var round = 0; round < command.MaxRounds; round++)
        {
            var claimed = await inbox.ClaimAsync(time.GetUtcNow(), settings.DispatchLease, settings.BatchSize, cancellationToken);
            if (claimed.Count == 0)
            {
                break;
            }

            await Parallel.ForEachAsync(claimed, parallel, async (inboxEvent, token) =>
            {
                switch (await DispatchAsync(inboxEvent, settings, token))
                {
                    case Outcome.Handled: Interlocked.Increment(ref handled); break;
                    case Outcome.Retried: Interlocked.Increment(ref retried); break;
                    case Outcome.Parked: Interlocked.Increment(ref parked); break;
                }
            });
        }

        var purged = await inbox.PurgeHandledAsync(null, time.GetUtcNow() - settings.HandledRetention, cancellationToken);
        return new DispatchEventsReport(handled, retried, parked, purged);
    }

    private enum Outcome
    {
        Handled,
        Retried,
        Parked,
        Lost,
    }

    private async Task<Outcome> DispatchAsync(InboxEvent claimed, GorgiasEventOptions settings, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IPublisher>().Publish(new GorgiasEventReceived(
                claimed.Account, claimed.EventName, claimed.TicketId, claimed.MessageId, claimed.OccurredAt, claimed.ReceivedAt,
                claimed.Payload, claimed.DeliveryKey, claimed.Attempts), cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            var error = InboxEvent.ErrorText(exception);
            var now = time.GetUtcNow();
            if (claimed.Attempts >= settings.MaxAttempts)
            {
                LogParked(logger, claimed.Id, claimed.Account.Value, claimed.EventName, claimed.Attempts, exception);
                return await inbox.ParkAsync(claimed, now, error, CancellationToken.None) ? Outcome.Parked : Outcome.Lost;
            }

            var retryAt = now + InboxEvent.Backoff(claimed.Attempts, settings.FirstRetry, settings.MaxRetry);
            LogRetry(logger, claimed.Id, claimed.Account.Value, claimed.EventName, claimed.Attempts, retryAt, exception);
            return await inbox.RetryLaterAsync(claimed, retryAt, error, CancellationToken.None) ? Outcome.Retried : Outcome.Lost;
        }

        // Not the caller's token: the handler ran; recording that must not be skipped because the host is stopping.
        return await inbox.MarkHandledAsync(claimed, time.GetUtcNow(), CancellationToken.None) ? Outcome.Handled : Outcome.Lost;
    }

    [LoggerMessage(EventId = 1710, Level = LogLevel.Warning, Message = "A handler of event {Id} ({EventName}) of account {Account} threw on attempt {Attempt}; it is retried at {RetryAt:O}")]
    private static partial void LogRetry(ILogger logger, long id, string account, string eventName, int attempt, DateTimeOffset retryAt, Exception exception);

    [LoggerMessage(EventId = 1711, Level = LogLevel.Error, Message = "A handler of event {Id} ({EventName}) of account {Account} threw on attempt {Attempt}, the last allowed; the event is parked (Gorgias:Events:MaxAttempts)")]
    private static partial void LogParked(ILogger logger, long id, string account, string eventName, int attempt, Exception exception);
}

using Gorgias.Integration.Application.Notifications;
using Gorgias.Integration.Domain.Common;
using Gorgias.Integration.Domain.Installations.Events;
using Gorgias.Integration.Domain.Tokens.Events;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Application.Common;

/// <summary>
/// Turns an aggregate's domain events into notifications after it was saved. A failing host handler is logged,
/// not thrown: the change is already stored and the command succeeded.
/// </summary>
internal sealed partial class DomainEventPublisher(IPublisher publisher, ILogger<DomainEventPublisher> logger)
{
    public async ValueTask PublishAsync(IHasDomainEvents aggregate, CancellationToken cancellationToken)
    {
        foreach (var domainEvent in aggregate.DomainEvents)
        {
            try
            {
                await PublishAsync(domainEvent, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogHandlerFailed(logger, domainEvent.GetType().Name, exception);
            }
        }

        aggregate.ClearDomainEvents();
    }

    private ValueTask PublishAsync(IDomainEvent domainEvent, CancellationToken cancellationToken) => domainEvent switch
    {
        InstallationCompleted e => publisher.Publish(new InstallationCompletedNotification(e.Account, e.Scopes, e.IsReinstall, e.OccurredAt), cancellationToken),
        AccessLost e => publisher.Publish(new AccessLostNotification(e.Account, e.Reason, e.OccurredAt), cancellationToken),
        InstallationUninstalled e => publisher.Publish(new InstallationUninstalledNotification(e.Account, e.OccurredAt), cancellationToken),
        RefreshFailing e => publisher.Publish(new RefreshFailingNotification(e.Account, e.LastError, e.ConsecutiveFailures, e.OccurredAt), cancellationToken),
        AccessTokenRefreshed e => publisher.Publish(new AccessTokenRefreshedNotification(e.Account, e.ExpiresAt, e.RefreshTokenRotated, e.OccurredAt), cancellationToken),
        RefreshRecovered e => publisher.Publish(new RefreshRecoveredNotification(e.Account, e.OccurredAt), cancellationToken),
        _ => throw new InvalidOperationException($"No notification is defined for {domainEvent.GetType().Name}."),
    };

    [LoggerMessage(EventId = 1100, Level = LogLevel.Error, Message = "A handler of {Event} failed; the change itself was saved")]
    private static partial void LogHandlerFailed(ILogger logger, string @event, Exception exception);
}

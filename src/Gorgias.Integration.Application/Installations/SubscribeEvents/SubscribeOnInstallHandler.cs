using Gorgias.Integration.Application.Notifications;
using Mediator;

namespace Gorgias.Integration.Application.Installations.SubscribeEvents;

/// <summary>
/// Subscribes an account to events right after its install (or re-install) was stored. The install has succeeded by
/// then: a failure here is recorded on the subscription and retried by the worker, never reported to the user.
/// </summary>
internal sealed class SubscribeOnInstallHandler(ISender sender) : INotificationHandler<InstallationCompletedNotification>
{
    public async ValueTask Handle(InstallationCompletedNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        await sender.Send(new SubscribeEventsCommand(notification.Account.Value, CheckOnly: false), cancellationToken);
    }
}

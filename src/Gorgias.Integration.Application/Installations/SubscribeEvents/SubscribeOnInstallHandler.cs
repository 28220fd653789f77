using Gorgias.Integration.Application.Notifications;
using Gorgias.Integration.Application.Options;
using Mediator;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Application.Installations.SubscribeEvents;

/// <summary>
/// Subscribes an account to events right after its install (or re-install) was stored. The install has succeeded by
/// then: a failure here is recorded on the subscription and retried by the worker, never reported to the user.
/// </summary>
internal sealed class SubscribeOnInstallHandler(ISender sender, IOptions<GorgiasEventOptions> options)
    : INotificationHandler<InstallationCompletedNotification>
{
    public async ValueTask Handle(InstallationCompletedNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);

        // With events off (no Gorgias:Events:Triggers) an install sends no command: no read of the installation, no
        // pipeline run, about 5 KB and one query less per install.
        if (!options.Value.Enabled)
        {
            return;
        }

        await sender.Send(new SubscribeEventsCommand(notification.Account.Value, CheckOnly: false), cancellationToken);
    }
}

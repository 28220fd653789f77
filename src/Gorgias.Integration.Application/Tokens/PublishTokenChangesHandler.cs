using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Notifications;
using Gorgias.Integration.Domain.Installations;
using Mediator;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>
/// Tells the other instances (<see cref="ITokenChangeSignal"/>) about every stored change of an account's tokens or
/// installation made in this process; the notifications are published after the change is stored.
/// </summary>
internal sealed class PublishTokenChangesHandler(ITokenChangeSignal signal) :
    INotificationHandler<InstallationCompletedNotification>,
    INotificationHandler<InstallationUninstalledNotification>,
    INotificationHandler<AccessLostNotification>,
    INotificationHandler<AccessTokenRefreshedNotification>
{
    public ValueTask Handle(InstallationCompletedNotification notification, CancellationToken cancellationToken) => Publish(notification.Account, cancellationToken);

    public ValueTask Handle(InstallationUninstalledNotification notification, CancellationToken cancellationToken) => Publish(notification.Account, cancellationToken);

    public ValueTask Handle(AccessLostNotification notification, CancellationToken cancellationToken) => Publish(notification.Account, cancellationToken);

    public ValueTask Handle(AccessTokenRefreshedNotification notification, CancellationToken cancellationToken) => Publish(notification.Account, cancellationToken);

    private ValueTask Publish(AccountName account, CancellationToken cancellationToken) => signal.PublishAsync(account, cancellationToken);
}

using Gorgias.Integration.Application.Notifications;
using Gorgias.Integration.Domain.Installations;
using Mediator;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>
/// Drops an account's cached tokens when its installation changes in this process (re-install, uninstall, access lost),
/// so the use cases that change it need not know the cache exists. Registered by the mediator before any host handler,
/// so a host handler that asks for a token already sees the change.
/// </summary>
/// <remarks>
/// Not subscribed to <see cref="AccessTokenRefreshedNotification"/>: the refresher is the cache's one writer and has
/// cached the stored tokens before it publishes; dropping them would cost every refresh a store read and a decryption.
/// </remarks>
internal sealed class InvalidateCachedTokensHandler(AccessTokenCache cache) :
    INotificationHandler<InstallationCompletedNotification>,
    INotificationHandler<InstallationUninstalledNotification>,
    INotificationHandler<AccessLostNotification>
{
    public ValueTask Handle(InstallationCompletedNotification notification, CancellationToken cancellationToken) => Invalidate(notification.Account);

    public ValueTask Handle(InstallationUninstalledNotification notification, CancellationToken cancellationToken) => Invalidate(notification.Account);

    public ValueTask Handle(AccessLostNotification notification, CancellationToken cancellationToken) => Invalidate(notification.Account);

    private ValueTask Invalidate(AccountName account)
    {
        cache.Invalidate(account);
        return ValueTask.CompletedTask;
    }
}

using Gorgias.Integration.Domain.Inbox;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>
/// Each account's <see cref="EventSubscription"/>: its secret encrypted (and its SHA-256 for the receiver's check), the
/// ids of the integrations created at Gorgias, and the state of the last attempt. One row per account, last write wins:
/// two writers are an install and the worker's check of the same integrations, and either result is true.
/// </summary>
public interface IEventSubscriptionStore
{
    /// <summary>The subscription of <paramref name="account"/> with its secret decrypted, or null.</summary>
    Task<EventSubscription?> FindAsync(AccountName account, CancellationToken cancellationToken);

    /// <summary>The SHA-256 of <paramref name="account"/>'s secret, or null when it has no subscription; decrypts nothing.</summary>
    Task<byte[]?> FindSecretHashAsync(AccountName account, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the subscription.</summary>
    Task SaveAsync(EventSubscription subscription, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="limit"/> accounts whose integrations are due for a check or a retry at
    /// <paramref name="now"/>, longest due first: their due time moves to <paramref name="now"/> + <paramref name="lease"/>
    /// in the same statement, so of several instances checking at once each account is checked by one (two would each
    /// create the integration Gorgias lost).
    /// </summary>
    Task<IReadOnlyList<AccountName>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes the subscription of <paramref name="account"/> (and with it its secret); false when there was none.</summary>
    Task<bool> DeleteAsync(AccountName account, CancellationToken cancellationToken);
}

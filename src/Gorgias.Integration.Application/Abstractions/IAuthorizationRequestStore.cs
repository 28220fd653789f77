using Gorgias.Integration.Domain.Authorization;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>Pending authorizations, keyed by a hash of their state; each can be consumed once.</summary>
public interface IAuthorizationRequestStore
{
    /// <summary>Stores a new pending authorization.</summary>
    Task AddAsync(AuthorizationRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically takes the unexpired request with <paramref name="state"/> issued for <paramref name="account"/> to the
    /// browser whose binding is <paramref name="browserBinding"/>: of any number of concurrent callers exactly one gets
    /// it; afterwards it is gone. Null when unknown, expired, already consumed, or issued for another account or
    /// browser; then nothing is consumed, so a stranger who saw the callback URL cannot cancel the user's install.
    /// </summary>
    Task<AuthorizationRequest?> ConsumeAsync(string state, AccountName account, string browserBinding, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>How many unexpired requests are pending (to cap a flood of install starts).</summary>
    Task<int> CountPendingAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// How many requests are stored, expired or not: never fewer than <see cref="CountPendingAsync"/>, and cheap to
    /// count at any size (no range scan), so a caller below its cap needs no exact count.
    /// </summary>
    Task<int> CountStoredAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="request"/> unless <paramref name="maxStored"/> or more requests are stored (counted as
    /// <see cref="CountStoredAsync"/> counts them); true when it was stored. The default counts, then adds; a store that
    /// can do both in one statement overrides it (every install start calls it, so a second round trip is paid per request).
    /// </summary>
    async Task<bool> TryAddBelowAsync(AuthorizationRequest request, int maxStored, CancellationToken cancellationToken)
    {
        if (await CountStoredAsync(cancellationToken) >= maxStored)
        {
            return false;
        }

        await AddAsync(request, cancellationToken);
        return true;
    }

    /// <summary>Deletes the requests that expired before <paramref name="now"/>; returns how many.</summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

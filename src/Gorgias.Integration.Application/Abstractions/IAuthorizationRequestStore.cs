using Gorgias.Integration.Domain.Authorization;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>
/// The authorization requests already used. A pending request is not stored: the state the browser carries to Gorgias
/// and back is the request itself, encrypted and authenticated for its account (<see cref="IAuthorizationStateProtector"/>),
/// so starting an install writes nothing. This store makes each request usable once: the callback records it here
/// before it exchanges the code.
/// </summary>
public interface IAuthorizationRequestStore
{
    /// <summary>
    /// Records <paramref name="request"/> as used, keyed by a hash of its <see cref="AuthorizationRequest.State"/>:
    /// of any number of concurrent callers for one request exactly one gets true, and every later call false, until the
    /// record is purged after the request's expiry (when the request is refused as expired before it gets here).
    /// </summary>
    Task<bool> TryConsumeAsync(AuthorizationRequest request, CancellationToken cancellationToken);

    /// <summary>Forgets the used requests whose expiry is at or before <paramref name="now"/>; returns how many.</summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

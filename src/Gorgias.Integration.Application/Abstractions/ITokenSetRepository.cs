using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>Stores token sets, encrypted at rest.</summary>
public interface ITokenSetRepository
{
    /// <summary>The token set for <paramref name="account"/>, or null when there is none.</summary>
    Task<TokenSet?> FindAsync(AccountName account, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a refreshed token set if the stored one is still at <c>tokens.Version</c>; access and refresh token
    /// are written together. Returns the stored set (with its new version).
    /// Throws <see cref="Common.ConcurrencyException"/> when another writer got there first.
    /// </summary>
    Task<TokenSet> SaveAsync(TokenSet tokens, CancellationToken cancellationToken);

    /// <summary>Accounts whose access token expires before <paramref name="expiringBefore"/>, soonest first.</summary>
    Task<IReadOnlyList<AccountName>> ListExpiringAsync(DateTimeOffset expiringBefore, int limit, CancellationToken cancellationToken);
}

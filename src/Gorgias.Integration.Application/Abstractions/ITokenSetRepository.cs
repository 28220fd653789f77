using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>Stores token sets, encrypted at rest.</summary>
public interface ITokenSetRepository
{
    /// <summary>The token set for <paramref name="account"/>, or null when there is none.</summary>
    Task<TokenSet?> FindAsync(AccountName account, CancellationToken cancellationToken);

    /// <summary>
    /// What says whether a cached copy of the account's tokens is still current, read without decrypting anything:
    /// the installation's status and version and the token set's version. Null when the account has no installation.
    /// </summary>
    Task<AccessStamp?> FindAccessStampAsync(AccountName account, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a refreshed token set if the stored one is still at <c>tokens.Version</c>; access and refresh token
    /// are written together. Returns the stored set (with its new version).
    /// Throws <see cref="Common.ConcurrencyException"/> when another writer got there first.
    /// </summary>
    Task<TokenSet> SaveAsync(TokenSet tokens, CancellationToken cancellationToken);

    /// <summary>
    /// Accounts of <see cref="InstallationStatus.Active"/> installations whose access token expires before
    /// <paramref name="expiringBefore"/>, soonest first. Inactive installations are left out here, not by the caller:
    /// their tokens keep their old expiry and would otherwise fill every batch ahead of the accounts that need a refresh.
    /// </summary>
    Task<IReadOnlyList<AccountName>> ListExpiringAsync(DateTimeOffset expiringBefore, int limit, CancellationToken cancellationToken);
}

/// <summary>The stored state of an account's access, without its secrets.</summary>
/// <param name="Status">The installation's status.</param>
/// <param name="InstallationVersion">The installation's version: changes with every install, re-install, uninstall or loss of access.</param>
/// <param name="TokenSetVersion">The token set's version (changes with every refresh), or null when there is no token set.</param>
public readonly record struct AccessStamp(InstallationStatus Status, long InstallationVersion, long? TokenSetVersion);

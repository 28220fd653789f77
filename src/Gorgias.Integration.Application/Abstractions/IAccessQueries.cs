using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>
/// Reads that span an account's installation and its token set, neither of which owns them: whether a cached copy of
/// the tokens is current, and which accounts need a refresh. Read-only, and never decrypting anything.
/// </summary>
public interface IAccessQueries
{
    /// <summary>
    /// What says whether a cached copy of the account's tokens is still current, read without decrypting anything:
    /// the installation's status and version and the token set's version. Null when the account has no installation.
    /// </summary>
    Task<AccessStamp?> FindAccessStampAsync(AccountName account, CancellationToken cancellationToken);

    /// <summary>
    /// Accounts of installations holding tokens (Active or RefreshFailing) whose access token expires before
    /// <paramref name="expiringBefore"/> and whose next refresh attempt is due at <paramref name="now"/>: first those
    /// that never failed, soonest expiry first, then failing ones whose backoff has passed, longest due first.
    /// Inactive installations and accounts still backing off are left out here, not by the caller: they would
    /// otherwise fill every batch ahead of the accounts that need a refresh.
    /// </summary>
    Task<IReadOnlyList<AccountName>> ListExpiringAsync(DateTimeOffset expiringBefore, DateTimeOffset now, int limit, CancellationToken cancellationToken);
}

/// <summary>The stored state of an account's access, without its secrets.</summary>
/// <param name="Status">The installation's status.</param>
/// <param name="InstallationVersion">The installation's version: changes with every install, re-install, uninstall or loss of access.</param>
/// <param name="TokenSetVersion">The token set's version (changes with every refresh), or null when there is no token set.</param>
public readonly record struct AccessStamp(InstallationStatus Status, long InstallationVersion, long? TokenSetVersion);

using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>
/// Stores installations and their token sets. Saves are optimistic: a save of an aggregate whose
/// <c>Version</c> is no longer the stored one throws <see cref="Common.ConcurrencyException"/>, never overwrites.
/// An aggregate instance is saved at most once; load it again to change it again.
/// </summary>
public interface IInstallationRepository
{
    /// <summary>The installation for <paramref name="account"/>, or null.</summary>
    Task<Installation?> FindAsync(AccountName account, CancellationToken cancellationToken);

    /// <summary>All installations, ordered by account.</summary>
    Task<IReadOnlyList<Installation>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Inserts (version 0) or updates the installation.</summary>
    Task SaveAsync(Installation installation, CancellationToken cancellationToken);

    /// <summary>
    /// Saves the installation and replaces its token set in one transaction (a completed install or re-install):
    /// either both are stored or neither.
    /// </summary>
    Task SaveAsync(Installation installation, TokenSet tokens, CancellationToken cancellationToken);

    /// <summary>
    /// Stores an uninstall in one transaction: saves the (uninstalled) installation with the same version check as
    /// <see cref="SaveAsync(Installation, CancellationToken)"/>, deletes its token set only if it is still
    /// <paramref name="wiped"/> (the version that was read; null: the account must have none), and, when
    /// <paramref name="revocationToRetry"/> is given, stores it as the account's pending revocation. An existing pending
    /// revocation holding another token is never overwritten: that throws <see cref="Common.ConcurrencyException"/>
    /// and nothing is stored; so does a token set other than <paramref name="wiped"/>. The deleted version is remembered, so
    /// the token set of a later re-install never reuses a version (a refresh read before the uninstall can never match it).
    /// </summary>
    Task UninstallAsync(Installation installation, TokenSet? wiped, PendingRevocation? revocationToRetry, CancellationToken cancellationToken);
}

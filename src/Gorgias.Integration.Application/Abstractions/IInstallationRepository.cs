using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>
/// Stores the <see cref="Installation"/> aggregate, and nothing else: a change that must also write the account's
/// token set or pending revocation goes through <see cref="IInstallRecorder"/> or <see cref="IUninstallRecorder"/>.
/// Saves are optimistic: a save of an installation whose <c>Version</c> is no longer the stored one throws
/// <see cref="Common.ConcurrencyException"/>, never overwrites. An instance is saved at most once; load it again to change it again.
/// </summary>
public interface IInstallationRepository
{
    /// <summary>The installation for <paramref name="account"/>, or null.</summary>
    Task<Installation?> FindAsync(AccountName account, CancellationToken cancellationToken);

    /// <summary>All installations, ordered by account.</summary>
    Task<IReadOnlyList<Installation>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// One page of installations, ordered by account (ordinal): at most <paramref name="limit"/> whose account sorts
    /// after <paramref name="after"/> (from the first when null). A keyset page: its cost does not grow with its position.
    /// </summary>
    Task<IReadOnlyList<Installation>> ListAsync(AccountName? after, int limit, CancellationToken cancellationToken);

    /// <summary>Inserts (version 0) or updates the installation, alone; a lost race throws <see cref="Common.ConcurrencyException"/>.</summary>
    Task SaveAsync(Installation installation, CancellationToken cancellationToken);
}

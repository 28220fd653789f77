using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>The transaction of an uninstall, stored before Gorgias is asked to revoke anything.</summary>
public interface IUninstallRecorder
{
    /// <summary>
    /// Writes atomically, all or nothing: the (uninstalled) installation, with the version check of
    /// <see cref="IInstallationRepository.SaveAsync"/>; the deletion of its token set, only if it is still
    /// <paramref name="wiped"/> (the version that was read; null: the account must have none); and, when
    /// <paramref name="revocationToRetry"/> is given, that entry as the account's pending revocation. Throws
    /// <see cref="Common.ConcurrencyException"/>, storing nothing, when the installation is stale, when the token set is
    /// another than <paramref name="wiped"/>, or when the account's pending revocation holds another token (that token
    /// may still be valid at Gorgias, so it is never overwritten). The deleted version is remembered, so a later
    /// re-install's token set never reuses it (a refresh read before the uninstall can never match it).
    /// </summary>
    Task RecordUninstallAsync(Installation installation, TokenSet? wiped, PendingRevocation? revocationToRetry, CancellationToken cancellationToken);
}

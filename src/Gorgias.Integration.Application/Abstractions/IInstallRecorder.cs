using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>The transaction of a completed install or re-install.</summary>
public interface IInstallRecorder
{
    /// <summary>
    /// Writes atomically, all or nothing: the (activated) installation, with the version check of
    /// <see cref="IInstallationRepository.SaveAsync"/>, and <paramref name="tokens"/> as the account's token set,
    /// replacing any it had with its failure record cleared. The stored set's version continues after every version the
    /// account's token sets ever had (an uninstalled set included), so versions never repeat for an account.
    /// A lost race throws <see cref="Common.ConcurrencyException"/> and stores nothing.
    /// </summary>
    Task RecordInstallAsync(Installation installation, TokenSet tokens, CancellationToken cancellationToken);
}

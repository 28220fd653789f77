using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>
/// Counts stored installations by status, for the <c>gorgias.installations</c> gauge: one aggregate query, nothing
/// decrypted. Several instances sharing a database all report the database's counts.
/// </summary>
public interface IInstallationCounter
{
    /// <summary>The number of installations in each status that has any; a status with none may be left out.</summary>
    Task<IReadOnlyDictionary<InstallationStatus, long>> CountByStatusAsync(CancellationToken cancellationToken);
}

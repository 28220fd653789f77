using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>
/// Refresh tokens of uninstalled installations whose revocation at Gorgias is not confirmed yet (SECURITY.md row 27),
/// encrypted at rest. One entry per account; entries are written by <see cref="IInstallationRepository.UninstallAsync"/>.
/// Every change is conditional on the entry still holding the caller's token, so an entry replaced in the meantime
/// (and with it a token that may still be valid at Gorgias) is never rescheduled or deleted by mistake.
/// </summary>
public interface IPendingRevocationStore
{
    /// <summary>The entry for <paramref name="account"/>, or null.</summary>
    Task<PendingRevocation?> FindAsync(AccountName account, CancellationToken cancellationToken);

    /// <summary>Entries whose <see cref="PendingRevocation.NextAttemptAt"/> is at or before <paramref name="now"/>, soonest first.</summary>
    Task<IReadOnlyList<PendingRevocation>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the entry's attempts and next attempt if it still holds <paramref name="revocation"/>'s token at
    /// <paramref name="revocation"/>'s attempts (a compare-and-set: of two workers only one claims an attempt).
    /// Returns false, changing nothing, otherwise.
    /// </summary>
    Task<bool> RescheduleAsync(PendingRevocation revocation, int attempts, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the entry (and with it the encrypted token) if it still holds <paramref name="revocation"/>'s token;
    /// returns false when it does not.
    /// </summary>
    Task<bool> DeleteAsync(PendingRevocation revocation, CancellationToken cancellationToken);
}

/// <summary>A refresh token to revoke at Gorgias, kept until Gorgias confirms the revocation.</summary>
/// <param name="Account">The account the token was issued for.</param>
/// <param name="RefreshToken">The refresh token; never printed.</param>
/// <param name="Attempts">Revocation attempts started so far.</param>
/// <param name="NextAttemptAt">When the next attempt is due.</param>
/// <param name="CreatedAt">When the installation was uninstalled.</param>
public sealed record PendingRevocation(AccountName Account, string RefreshToken, int Attempts, DateTimeOffset NextAttemptAt, DateTimeOffset CreatedAt)
{
    /// <summary>Never prints the refresh token.</summary>
    public override string ToString() =>
        $"PendingRevocation {{ Account = {Account}, Attempts = {Attempts}, NextAttemptAt = {NextAttemptAt:O}, CreatedAt = {CreatedAt:O} }}";
}

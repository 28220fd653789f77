using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>
/// Refresh tokens of uninstalled installations whose revocation at Gorgias is not confirmed yet (SECURITY.md row 27),
/// encrypted at rest. One entry per account; entries are written by <see cref="IUninstallRecorder.RecordUninstallAsync"/>.
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
    /// Writes <paramref name="next"/>'s attempts and next attempt if the entry still holds <paramref name="read"/>'s
    /// token at <paramref name="read"/>'s attempts: a compare-and-set, so of two workers only one claims an attempt
    /// (<see cref="PendingRevocation.Claim"/>). Otherwise throws <see cref="Common.ConcurrencyException"/>, changing nothing.
    /// </summary>
    Task RescheduleAsync(PendingRevocation read, PendingRevocation next, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the entry (and with it the encrypted token) if it still holds <paramref name="revocation"/>'s token;
    /// otherwise (deleted or replaced meanwhile) throws <see cref="Common.ConcurrencyException"/>, changing nothing.
    /// </summary>
    Task DeleteAsync(PendingRevocation revocation, CancellationToken cancellationToken);
}

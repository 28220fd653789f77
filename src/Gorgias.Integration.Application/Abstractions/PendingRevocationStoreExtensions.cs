using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>
/// The uninstall and the retry worker race for the same entries by design (the due time is the lease), so for them a
/// lost compare-and-set is an outcome, not a failure: the other side owns the entry now.
/// </summary>
internal static class PendingRevocationStoreExtensions
{
    /// <summary>Reschedules <paramref name="read"/> as <paramref name="next"/>; false when another writer changed it first.</summary>
    public static async Task<bool> RescheduleIfStillQueuedAsync(this IPendingRevocationStore store, PendingRevocation read,
        PendingRevocation next, CancellationToken cancellationToken)
    {
        try
        {
            await store.RescheduleAsync(read, next, cancellationToken);
            return true;
        }
        catch (ConcurrencyException)
        {
            return false;
        }
    }

    /// <summary>Deletes <paramref name="revocation"/>; false when it was deleted or replaced meanwhile.</summary>
    public static async Task<bool> DeleteIfStillQueuedAsync(this IPendingRevocationStore store, PendingRevocation revocation,
        CancellationToken cancellationToken)
    {
        try
        {
            await store.DeleteAsync(revocation, cancellationToken);
            return true;
        }
        catch (ConcurrencyException)
        {
            return false;
        }
    }
}

using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>
/// A per-account lease that every process sharing the storage takes around a refresh at Gorgias and the save of its
/// result, so that of any number of instances exactly one sends a given refresh token (SECURITY.md row 53). A second
/// instance waits for the lease, then re-reads the stored tokens and uses the first one's result.
/// </summary>
/// <remarks>
/// <para>Guarantees: while a handle is held and not disposed, no other holder of the same account's lease exists in
/// any process sharing the storage, provided the holder finishes its work within the adapter's bound (the Gorgias call
/// is bounded by <c>Gorgias:HttpTimeout</c>, which the bound must exceed). A holder that dies loses the lease at once
/// (PostgreSQL: its connection closes) or when the bound passes (SQLite).</para>
/// <para>The default, when the storage registers none, is an in-process lease: right for one process, and no
/// protection at all for several (a custom storage shared by several instances must register its own).</para>
/// </remarks>
public interface IRefreshLease
{
    /// <summary>
    /// Takes <paramref name="account"/>'s lease, waiting at most the adapter's bound for another holder to release it.
    /// Returns the handle that releases it when disposed, or null when it could not be taken within the bound (the caller
    /// must then not call Gorgias). <paramref name="cancellationToken"/> stops only the wait.
    /// </summary>
    Task<IAsyncDisposable?> AcquireAsync(AccountName account, CancellationToken cancellationToken);
}

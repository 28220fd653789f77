using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>
/// The decrypted tokens of each account this process uses, so that the hot path of
/// <see cref="IGorgiasAccessTokenProvider.GetAccessTokenAsync"/> neither reads SQLite nor decrypts. One singleton per process.
/// </summary>
/// <remarks>
/// Entries are written only by the refresher (one refresh at a time per account) and dropped by
/// <see cref="Invalidate"/>. A refresh that read the store before an invalidation must not put the old tokens back
/// afterwards: every write carries the <see cref="Epoch"/> read before the store was, and is dropped if an invalidation
/// happened since. Other processes' writes are seen through re-validation (<c>Gorgias:TokenCacheRevalidation</c>).
/// Each entry holds one timer of <paramref name="time"/>, due at its first deadline (<see cref="CachedAccess.IsFresh"/>),
/// disposed when the entry is replaced or dropped.
/// </remarks>
/// <param name="time">The clock the entries' deadlines are measured on.</param>
internal sealed class AccessTokenCache(TimeProvider time)
{
    private readonly ConcurrentDictionary<AccountName, CachedAccess> _entries = new();
    private readonly Lock _writeGate = new();
    private long _epoch;

    /// <summary>Changes with every invalidation; read it before reading the store, pass it to <see cref="TrySet"/>.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>The cached entry of <paramref name="account"/>; lock-free and allocation-free.</summary>
    public bool TryGet(AccountName account, [MaybeNullWhen(false)] out CachedAccess entry) => _entries.TryGetValue(account, out entry);

    /// <summary>Stores <paramref name="entry"/> unless an invalidation happened after <paramref name="epoch"/> was read.</summary>
    public bool TrySet(CachedAccess entry, long epoch)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_writeGate)
        {
            if (_epoch != epoch)
            {
                return false;
            }

            entry.Arm(time);
            if (_entries.TryGetValue(entry.Tokens.Account, out var replaced))
            {
                replaced.Retire();
            }

            _entries[entry.Tokens.Account] = entry;
            return true;
        }
    }

    /// <summary>
    /// Forgets <paramref name="account"/>'s tokens at once (uninstall, access lost): the next caller reads the store.
    /// A refresh in flight for it will not cache what it read before.
    /// </summary>
    public void Invalidate(AccountName account)
    {
        ArgumentNullException.ThrowIfNull(account);
        lock (_writeGate)
        {
            _epoch++;
            if (_entries.TryRemove(account, out var removed))
            {
                removed.Retire();
            }
        }
    }

    /// <summary>Forgets every account's tokens (change signals may have been missed): each next caller reads the store.</summary>
    public void InvalidateAll()
    {
        lock (_writeGate)
        {
            _epoch++;
            foreach (var entry in _entries.Values)
            {
                entry.Retire();
            }

            _entries.Clear();
        }
    }
}

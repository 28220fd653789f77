using Gorgias.Integration.Domain.Tokens;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>
/// One account's decrypted tokens as last read or stored by this process. The tokens never change (a newer read replaces
/// the entry); only <see cref="IsFresh"/> does, once, when the entry's first deadline passes.
/// </summary>
/// <param name="Tokens">The tokens.</param>
/// <param name="InstallationVersion">The installation's version when they were read; with the token version, what re-validation compares.</param>
/// <param name="RevalidateAt">After this, the store is asked whether they are still current before they are served again.</param>
/// <param name="RefreshDueAt">From then on the token is inside its refresh margin (<see cref="TokenSet.RefreshDueAt"/>), computed once here.</param>
internal sealed class CachedAccess(TokenSet Tokens, long InstallationVersion, DateTimeOffset RevalidateAt, DateTimeOffset RefreshDueAt)
{
    // 0 until the first of RevalidateAt and RefreshDueAt has passed. A timer of the cache's TimeProvider sets it, so the
    // hot path reads one field instead of the clock (a clock read costs several dictionary lookups).
    private int _stale;
    private ITimer? _timer;

    public TokenSet Tokens { get; } = Tokens;

    public long InstallationVersion { get; } = InstallationVersion;

    public DateTimeOffset RevalidateAt { get; } = RevalidateAt;

    public DateTimeOffset RefreshDueAt { get; } = RefreshDueAt;

    /// <summary>What callers get, built once.</summary>
    public GorgiasAccessToken AccessToken { get; } = new(Tokens.AccessToken, Tokens.ExpiresAt);

    /// <summary>
    /// True until <see cref="RevalidateAt"/> or <see cref="RefreshDueAt"/>, whichever comes first: the token can be handed
    /// out without reading the clock or asking anything. Once false, <see cref="CanServe"/> decides.
    /// </summary>
    public bool IsFresh => Volatile.Read(ref _stale) == 0;

    /// <summary>
    /// True when the token can be handed out without asking the store: re-validated recently, and either outside the
    /// refresh margin or inside it while a failed refresh is backing off (and not yet expired).
    /// </summary>
    public bool CanServe(DateTimeOffset now, RefreshFailureBackoff backoff) =>
        now < RevalidateAt
        && (now < RefreshDueAt || (now < Tokens.ExpiresAt && backoff.IsWaiting(Tokens.Account, now)));

    /// <summary>Makes <see cref="IsFresh"/> turn false at the first deadline, measured on <paramref name="time"/>; at once if it has passed.</summary>
    internal void Arm(TimeProvider time)
    {
        var deadline = RevalidateAt < RefreshDueAt ? RevalidateAt : RefreshDueAt;
        var delay = deadline - time.GetUtcNow();
        if (delay <= TimeSpan.Zero)
        {
            Retire();
            return;
        }

        _timer = time.CreateTimer(static state => ((CachedAccess)state!).Retire(), this, delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Stops the fast path for this entry (its deadline passed, or it left the cache) and releases its timer.</summary>
    internal void Retire()
    {
        Volatile.Write(ref _stale, 1);
        Interlocked.Exchange(ref _timer, null)?.Dispose();
    }
}

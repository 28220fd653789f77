using System.Collections.Concurrent;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>
/// The two waits after a failed refresh (other than <c>invalid_grant</c>). Automatic refreshes by callers wait a short,
/// jittered, doubling step held in memory (<see cref="Automatic"/>); the background worker waits a long, persisted one
/// (<see cref="PersistedFirst"/> doubling to <see cref="PersistedMax"/>), so a dead account costs a few calls a day
/// instead of one a minute. An explicit refresh (the admin route) waits for neither.
/// </summary>
/// <remarks>
/// The one holder of the in-memory waits (one singleton per process): the refresher records failures here and the hot
/// path asks <see cref="IsWaiting"/> whether a token inside its refresh margin may still be served as is.
/// </remarks>
internal sealed class RefreshFailureBackoff
{
    private readonly ConcurrentDictionary<AccountName, Wait> _waits = new();

    /// <summary>The first automatic step is between this and twice this.</summary>
    public static readonly TimeSpan AutomaticFirst = TimeSpan.FromSeconds(1);

    /// <summary>The longest automatic step, and the longest <c>Retry-After</c> honoured in memory.</summary>
    public static readonly TimeSpan AutomaticMax = TimeSpan.FromMinutes(5);

    /// <summary>The worker's first wait after a failure; it doubles with each consecutive failure.</summary>
    public static readonly TimeSpan PersistedFirst = TimeSpan.FromMinutes(1);

    /// <summary>The worker's longest wait, also the longest <c>Retry-After</c> stored.</summary>
    public static readonly TimeSpan PersistedMax = TimeSpan.FromHours(6);

    /// <summary>The worker's backoff, as the store applies it.</summary>
    public static FailureBackoff Persisted => new(PersistedFirst, PersistedMax);

    /// <summary>After this many consecutive failures, the last one permanent, the installation shows RefreshFailing.</summary>
    public const int FailingThreshold = 5;

    /// <summary>
    /// The in-memory wait after <paramref name="failures"/> consecutive failures: Gorgias's <c>Retry-After</c> when it
    /// sent one (1 s to <see cref="AutomaticMax"/>), else a random point in [step, 2·step) with step doubling from
    /// <see cref="AutomaticFirst"/>, capped at <see cref="AutomaticMax"/>. The jitter keeps processes and accounts that
    /// failed together from retrying together.
    /// </summary>
    public static TimeSpan Automatic(int failures, TimeSpan? retryAfter, double random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(failures);
        if (retryAfter is { } asked)
        {
            return RetryAfter.From(asked).Clamp(AutomaticFirst, AutomaticMax).Delay;
        }

        // 2^9 s already exceeds the cap; stopping there keeps the shift far from overflowing.
        var step = failures > 10 ? AutomaticMax : TimeSpan.FromTicks(AutomaticFirst.Ticks << (failures - 1));
        var jittered = step + (step * Math.Clamp(random, 0, 1));
        return jittered > AutomaticMax ? AutomaticMax : jittered;
    }

    /// <summary>True while an automatic refresh of <paramref name="account"/> must not be tried; lock-free and allocation-free.</summary>
    public bool IsWaiting(AccountName account, DateTimeOffset now) => _waits.TryGetValue(account, out var wait) && now < wait.Until;

    /// <summary>The wait in force for <paramref name="account"/>: until when, and the failure that started it.</summary>
    public bool TryGetWait(AccountName account, DateTimeOffset now, out DateTimeOffset until, out Error error)
    {
        if (_waits.TryGetValue(account, out var wait) && now < wait.Until)
        {
            (until, error) = (wait.Until, wait.Error);
            return true;
        }

        (until, error) = (default, null!);
        return false;
    }

    /// <summary>
    /// Counts one more consecutive failure and starts the next <see cref="Automatic"/> wait; <paramref name="describe"/>
    /// turns the wait into the error reported meanwhile.
    /// </summary>
    public Error RecordFailure(AccountName account, TimeSpan? retryAfter, DateTimeOffset now, Func<TimeSpan, Error> describe)
    {
        var failures = (_waits.TryGetValue(account, out var previous) ? previous.Failures : 0) + 1;
        var wait = Automatic(failures, retryAfter, Random.Shared.NextDouble());
        var error = describe(wait);
        _waits[account] = new Wait(now + wait, error, failures);
        return error;
    }

    /// <summary>Ends the wait: after a stored refresh, or when the account's tokens are gone.</summary>
    public void Clear(AccountName account) => _waits.TryRemove(account, out _);

    private sealed record Wait(DateTimeOffset Until, Error Error, int Failures);
}

using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>
/// The two waits after a failed refresh (other than <c>invalid_grant</c>). Automatic refreshes by callers wait a short,
/// jittered, doubling step held in memory (<see cref="Automatic"/>); the background worker waits a long, persisted one
/// (<see cref="PersistedFirst"/> doubling to <see cref="PersistedMax"/>), so a dead account costs a few calls a day
/// instead of one a minute. An explicit refresh (the admin route) waits for neither.
/// </summary>
internal static class RefreshFailureBackoff
{
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
}

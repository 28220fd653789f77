namespace Gorgias.Integration.Application.Installations.RetryRevocations;

/// <summary>
/// When a failed revocation is tried again: 1 minute after the first attempt, doubling with each attempt up to
/// 6 hours, and never sooner than Gorgias asked with <c>Retry-After</c>. The first delay also serves as the lease of
/// an attempt in flight, so it is far longer than any call to Gorgias may take (<c>Gorgias:HttpTimeout</c> ≤ 15 s).
/// </summary>
internal static class RevocationBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan Max = TimeSpan.FromHours(6);

    /// <summary>The delay after <paramref name="attempts"/> attempts (≥ 1).</summary>
    public static TimeSpan After(int attempts, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempts);

        // 2^9 minutes already exceeds the cap; stopping there keeps the shift far from overflowing.
        var delay = attempts > 10 ? Max : TimeSpan.FromTicks(Math.Min(First.Ticks << (attempts - 1), Max.Ticks));
        return retryAfter is { } asked && asked > delay ? asked : delay;
    }
}

namespace Gorgias.Integration.Domain.Installations;

/// <summary>
/// A refresh token to revoke at Gorgias, kept until Gorgias confirms the revocation. Its due time is also the lease of
/// an attempt in flight: an attempt is claimed by moving the due time one backoff ahead first, so no second worker
/// starts the same attempt while the first is talking to Gorgias.
/// </summary>
/// <param name="Account">The account the token was issued for.</param>
/// <param name="RefreshToken">The refresh token; never printed.</param>
/// <param name="Attempts">Revocation attempts started so far.</param>
/// <param name="NextAttemptAt">When the next attempt is due.</param>
/// <param name="CreatedAt">When the installation was uninstalled.</param>
public sealed record PendingRevocation(AccountName Account, string RefreshToken, int Attempts, DateTimeOffset NextAttemptAt, DateTimeOffset CreatedAt)
{
    /// <summary>
    /// The wait after the first attempt; also the lease of an attempt in flight, so far longer than any call to Gorgias
    /// may take (<c>Gorgias:HttpTimeout</c> ≤ 15 s).
    /// </summary>
    public static readonly TimeSpan FirstRetry = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait between two attempts.</summary>
    public static readonly TimeSpan MaxRetry = TimeSpan.FromHours(6);

    /// <summary>
    /// The entry an uninstall stores before it calls Gorgias: its first attempt started at <paramref name="now"/> and
    /// leased for one backoff, longer when Gorgias already asked for more with <paramref name="retryAfter"/>.
    /// </summary>
    public static PendingRevocation Start(AccountName account, string refreshToken, DateTimeOffset now, TimeSpan? retryAfter = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrEmpty(refreshToken);
        return new PendingRevocation(account, refreshToken, Attempts: 1, now + Backoff(1, retryAfter), now);
    }

    /// <summary>The next attempt, claimed at <paramref name="now"/>: one more attempt, leased for its backoff.</summary>
    public PendingRevocation Claim(DateTimeOffset now)
    {
        var attempts = Attempts + 1;
        return this with { Attempts = attempts, NextAttemptAt = now + Backoff(attempts) };
    }

    /// <summary>
    /// After the current attempt failed at <paramref name="now"/>: the entry with the next attempt one backoff after
    /// <paramref name="now"/> (not sooner than Gorgias asked), or null when the lease already lasts that long and nothing
    /// needs to change.
    /// </summary>
    public PendingRevocation? RetryLater(DateTimeOffset now, TimeSpan? retryAfter)
    {
        var retryAt = now + Backoff(Attempts, retryAfter);
        return retryAt > NextAttemptAt ? this with { NextAttemptAt = retryAt } : null;
    }

    /// <summary>
    /// The delay after <paramref name="attempts"/> attempts (≥ 1): <see cref="FirstRetry"/>, doubling with each attempt
    /// up to <see cref="MaxRetry"/>, and never sooner than <paramref name="retryAfter"/>.
    /// </summary>
    public static TimeSpan Backoff(int attempts, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempts);

        // 2^9 minutes already exceeds the cap; stopping there keeps the shift far from overflowing.
        var delay = attempts > 10 ? MaxRetry : TimeSpan.FromTicks(Math.Min(FirstRetry.Ticks << (attempts - 1), MaxRetry.Ticks));
        return retryAfter is { } asked && asked > delay ? asked : delay;
    }

    /// <summary>Never prints the refresh token.</summary>
    public override string ToString() =>
        $"PendingRevocation {{ Account = {Account}, Attempts = {Attempts}, NextAttemptAt = {NextAttemptAt:O}, CreatedAt = {CreatedAt:O} }}";
}

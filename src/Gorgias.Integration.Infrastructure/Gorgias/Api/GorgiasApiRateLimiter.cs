using System.Threading.RateLimiting;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>
/// One token bucket per account, shaped like Gorgias's leaky bucket: <c>PermitLimit</c> requests at once, refilled
/// one at a time over <c>Window</c>, with a bounded queue of waiting requests. Budgets are per account, so a busy
/// account never delays another. The partitioned limiter replenishes every bucket from one timer and drops the
/// buckets of accounts that have been idle long enough to be full again.
/// </summary>
/// <remarks>
/// System.Threading.RateLimiting measures time with the system clock, not <see cref="TimeProvider"/>; the budget is
/// about Gorgias's real clock anyway.
/// </remarks>
internal sealed class GorgiasApiRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<AccountName> _limiter;

    public GorgiasApiRateLimiter(IOptions<GorgiasApiRateLimitOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Value is checked by GorgiasApiRateLimitOptionsValidator: a bad key fails here, named, before any division.
        var settings = options.Value;

        RefillInterval = settings.Window / settings.PermitLimit;
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.PermitLimit,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = RefillInterval,
            QueueLimit = settings.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        };
        _limiter = PartitionedRateLimiter.Create<AccountName, string>(
            account => RateLimitPartition.GetTokenBucketLimiter(account.Value, _ => bucket));
    }

    /// <summary>How often one more request's worth of budget comes back.</summary>
    public TimeSpan RefillInterval { get; }

    /// <summary>One request's worth of <paramref name="account"/>'s budget if it is there now and nobody is queued before; never waits.</summary>
    public RateLimitLease TryAcquire(AccountName account) => _limiter.AttemptAcquire(account, 1);

    /// <summary>One request's worth of <paramref name="account"/>'s budget, waiting in its queue if needed.</summary>
    public ValueTask<RateLimitLease> AcquireAsync(AccountName account, CancellationToken cancellationToken) =>
        _limiter.AcquireAsync(account, 1, cancellationToken);

    public void Dispose() => _limiter.Dispose();
}

using System.Threading.RateLimiting;
using Gorgias.Integration.Application.Options;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Web.Http;

/// <summary>
/// A fixed window per account on <c>POST /events/{account}</c> (<c>Gorgias:Events:RateLimitPermits</c> per
/// <c>RateLimitWindow</c>; SECURITY.md row 62), checked before anything else, so a flood costs neither a database read
/// nor a body read and other accounts' deliveries are not slowed. Per account, not per client address: every genuine
/// delivery comes from Gorgias's own addresses, which a per-address limit would throttle together.
/// </summary>
internal sealed class EventRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public EventRateLimiter(IOptions<GorgiasEventOptions> options)
    {
        var settings = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(account => RateLimitPartition.GetFixedWindowLimiter(account,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.RateLimitPermits, Window = settings.RateLimitWindow, QueueLimit = 0 }));
    }

    /// <summary>A permit for one delivery to <paramref name="account"/>, or null with the wait until the window turns.</summary>
    public bool TryAcquire(string account, out TimeSpan? retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(account);
        retryAfter = !lease.IsAcquired && lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : null;
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}

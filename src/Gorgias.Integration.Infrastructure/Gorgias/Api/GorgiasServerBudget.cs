using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>
/// Gorgias's own view of each account's leaky bucket, from the <c>X-Gorgias-Account-Api-Call-Limit: used/limit</c> header
/// of every answer and the <c>Retry-After</c> of its 429s. Every instance of the app that shares an account sees the
/// same level, so pacing on it keeps them all within the server's budget, which a local counter alone cannot do.
/// Between answers the level drains at <c>limit</c> per <c>Gorgias:ApiRateLimit:Window</c>, and every request sent
/// counts one.
/// </summary>
internal sealed class GorgiasServerBudget(IOptions<GorgiasApiRateLimitOptions> options, TimeProvider time)
{
    /// <summary>The header Gorgias reports the bucket in.</summary>
    public const string HeaderName = "X-Gorgias-Account-Api-Call-Limit";

    /// <summary>Slots kept free for the app's other instances: a request that would fill the bucket waits instead.</summary>
    public const int Headroom = 1;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>How long a request for <paramref name="account"/> must wait before it is sent; counts it as sent then.</summary>
    public TimeSpan Reserve(AccountName account)
    {
        if (!_buckets.TryGetValue(account.Value, out var bucket))
        {
            return TimeSpan.Zero;
        }

        lock (bucket)
        {
            var now = time.GetTimestamp();
            Drain(bucket, now);
            var wait = TimeSpan.Zero;
            if (bucket.BlockedUntil > now)
            {
                wait = time.GetElapsedTime(now, bucket.BlockedUntil);
            }
            else if (bucket.Limit > 0 && bucket.Level + 1 > bucket.Limit - Headroom)
            {
                wait = TimeSpan.FromSeconds((bucket.Level + 1 - (bucket.Limit - Headroom)) / DrainPerSecond(bucket));
            }

            bucket.Level += 1;
            return wait;
        }
    }

    /// <summary>Takes the level Gorgias reported in <paramref name="response"/>, and a 429's wait.</summary>
    public void Observe(AccountName account, HttpResponseMessage response)
    {
        var limited = response.StatusCode == HttpStatusCode.TooManyRequests;
        if (!TryReadLevel(response, out var used, out var limit) && !limited)
        {
            return;
        }

        var bucket = _buckets.GetOrAdd(account.Value, static _ => new Bucket());
        lock (bucket)
        {
            var now = time.GetTimestamp();
            if (limit > 0)
            {
                bucket.Level = used;
                bucket.Limit = limit;
                bucket.UpdatedAt = now;
            }

            if (limited && RetryAfter.FromGorgias(response.Headers.RetryAfter, time.GetUtcNow()) is { } wait)
            {
                var until = now + (long)(wait.Delay.TotalSeconds * time.TimestampFrequency);
                bucket.BlockedUntil = Math.Max(bucket.BlockedUntil, until);
            }
        }
    }

    /// <summary>Reads <c>used/limit</c>; false when the header is missing or malformed.</summary>
    internal static bool TryReadLevel(HttpResponseMessage response, out int used, out int limit)
    {
        used = limit = 0;
        if (!response.Headers.TryGetValues(HeaderName, out var values))
        {
            return false;
        }

        var value = values.FirstOrDefault().AsSpan().Trim();
        var slash = value.IndexOf('/');
        return slash > 0
            && int.TryParse(value[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out used)
            && int.TryParse(value[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out limit)
            && limit > 0 && used >= 0;
    }

    private double DrainPerSecond(Bucket bucket) => bucket.Limit / options.Value.Window.TotalSeconds;

    private void Drain(Bucket bucket, long now)
    {
        if (bucket.Limit > 0 && now > bucket.UpdatedAt)
        {
            var drained = time.GetElapsedTime(bucket.UpdatedAt, now).TotalSeconds * DrainPerSecond(bucket);
            bucket.Level = Math.Max(0, bucket.Level - drained);
        }

        bucket.UpdatedAt = Math.Max(bucket.UpdatedAt, now);
    }

    private sealed class Bucket
    {
        public double Level { get; set; }

        public int Limit { get; set; }

        public long UpdatedAt { get; set; }

        public long BlockedUntil { get; set; }
    }
}

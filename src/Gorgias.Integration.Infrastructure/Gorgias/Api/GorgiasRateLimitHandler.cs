using System.Diagnostics;
using System.Net;
using System.Text;
using System.Threading.RateLimiting;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Application.Telemetry;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>
/// The innermost pacing step: every attempt that would reach Gorgias (first tries, retries, the retry after a refresh)
/// first takes one request's worth of its account's budget from <see cref="GorgiasApiRateLimiter"/>, then waits while
/// <see cref="GorgiasServerBudget"/> says Gorgias's own bucket for the account is near full. When the account's
/// queue is full, the request is answered here with a 429 and a <c>Retry-After</c>, without calling Gorgias; that
/// answer is not retried.
/// </summary>
internal sealed partial class GorgiasRateLimitHandler(
    GorgiasApiRateLimiter limiter,
    GorgiasServerBudget serverBudget,
    IOptions<GorgiasApiRetryOptions> retryOptions,
    IOptions<GorgiasOptions> gorgiasOptions,
    TimeProvider time,
    GorgiasMetrics metrics,
    ILogger<GorgiasRateLimitHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = GorgiasApiRequest.AccountOf(request);
        using var lease = await AcquireAsync(account, cancellationToken);
        if (lease.IsAcquired)
        {
            // The server's bucket is the shared truth: near full, wait for it to drain rather than earn a 429.
            var serverWait = serverBudget.Reserve(account);
            // The wait runs inside the attempt's timeout; a longer one is the caller's to wait out, told by a 429.
            if (serverWait > retryOptions.Value.MaxRetryAfter || serverWait > gorgiasOptions.Value.HttpTimeout / 2)
            {
                LogServerBudgetSpent(logger, account, serverWait);
                return new ClientRateLimitedResponse(request, serverWait);
            }

            if (serverWait > TimeSpan.Zero)
            {
                metrics.RateLimitWaited(serverWait, GorgiasMetrics.CallLimitReason);
                LogWaiting(logger, account, serverWait);
                await Task.Delay(serverWait, time, cancellationToken);
            }

            var response = await base.SendAsync(request, cancellationToken);
            serverBudget.Observe(account, response);
            return response;
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : limiter.RefillInterval;
        LogRejected(logger, account, retryAfter);
        return new ClientRateLimitedResponse(request, retryAfter);
    }

    /// <summary>
    /// The account's budget: at once when it is there (nearly always), else from its queue, and then the time spent
    /// queued is a <c>gorgias.api.rate_limit.wait</c>. The limiter runs on the system clock, so the wait is measured on it.
    /// </summary>
    private async ValueTask<RateLimitLease> AcquireAsync(AccountName account, CancellationToken cancellationToken)
    {
        var lease = limiter.TryAcquire(account);
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        var queuedAt = Stopwatch.GetTimestamp();
        lease = await limiter.AcquireAsync(account, cancellationToken);
        if (lease.IsAcquired)
        {
            metrics.RateLimitWaited(Stopwatch.GetElapsedTime(queuedAt), GorgiasMetrics.ClientLimitReason);
        }

        return lease;
    }

    [LoggerMessage(EventId = 1431, Level = LogLevel.Warning,
        Message = "Too many Gorgias API requests are waiting for account {Account}; refused one without calling Gorgias (retry after {RetryAfter})")]
    private static partial void LogRejected(ILogger logger, AccountName account, TimeSpan retryAfter);

    [LoggerMessage(EventId = 1432, Level = LogLevel.Debug, Message = "Gorgias reports account {Account}'s request bucket near full; waiting {Wait} before the next request")]
    private static partial void LogWaiting(ILogger logger, AccountName account, TimeSpan wait);

    [LoggerMessage(EventId = 1433, Level = LogLevel.Warning,
        Message = "Gorgias reports account {Account}'s request bucket full for {Wait}; refused a request without calling Gorgias")]
    private static partial void LogServerBudgetSpent(ILogger logger, AccountName account, TimeSpan wait);
}

/// <summary>A 429 made by <see cref="GorgiasRateLimitHandler"/>: it never reached Gorgias, and is not retried.</summary>
internal sealed class ClientRateLimitedResponse : HttpResponseMessage
{
    public ClientRateLimitedResponse(HttpRequestMessage request, TimeSpan retryAfter)
        : base(HttpStatusCode.TooManyRequests)
    {
        RequestMessage = request;
        ReasonPhrase = "Too Many Requests (client-side limit)";
        Headers.RetryAfter = RetryAfter.From(retryAfter).ToHeader();
        Content = new StringContent("{\"error\":\"Too Many Requests\"}", Encoding.UTF8, "application/json");
    }
}

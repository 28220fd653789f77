using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.RateLimiting;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>
/// The innermost pacing step: every attempt that would reach Gorgias (first tries, retries, the retry after a refresh)
/// first takes one request's worth of its account's budget from <see cref="GorgiasApiRateLimiter"/>. When the account's
/// queue is full, the request is answered here with a 429 and a <c>Retry-After</c>, without calling Gorgias; that
/// answer is not retried.
/// </summary>
internal sealed partial class GorgiasRateLimitHandler(GorgiasApiRateLimiter limiter, ILogger<GorgiasRateLimitHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = GorgiasApiRequest.AccountOf(request);
        using var lease = await limiter.AcquireAsync(account, cancellationToken);
        if (lease.IsAcquired)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : limiter.RefillInterval;
        LogRejected(logger, account, retryAfter);
        return new ClientRateLimitedResponse(request, retryAfter);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Too many Gorgias API requests are waiting for account {Account}; refused one without calling Gorgias (retry after {RetryAfter})")]
    private static partial void LogRejected(ILogger logger, AccountName account, TimeSpan retryAfter);
}

/// <summary>A 429 made by <see cref="GorgiasRateLimitHandler"/>: it never reached Gorgias, and is not retried.</summary>
internal sealed class ClientRateLimitedResponse : HttpResponseMessage
{
    public ClientRateLimitedResponse(HttpRequestMessage request, TimeSpan retryAfter)
        : base(HttpStatusCode.TooManyRequests)
    {
        RequestMessage = request;
        ReasonPhrase = "Too Many Requests (client-side limit)";
        Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(Math.Ceiling(retryAfter.TotalSeconds)));
        Content = new StringContent("{\"error\":\"Too Many Requests\"}", Encoding.UTF8, "application/json");
    }
}

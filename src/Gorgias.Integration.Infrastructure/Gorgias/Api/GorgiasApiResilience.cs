using System.Net;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Application.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>
/// The resilience pipeline of the <c>GorgiasApi</c> client: a retry of 429 and 503 for idempotent requests only,
/// waiting what <c>Retry-After</c> says when it is short enough, around a per-attempt timeout of
/// <see cref="GorgiasOptions.HttpTimeout"/>. Both wait on the <see cref="TimeProvider"/> from DI (Polly's builder takes
/// it from there), so a test's fake clock drives them.
/// </summary>
internal static class GorgiasApiResilience
{
    private static readonly HashSet<HttpMethod> IdempotentMethods =
        [HttpMethod.Get, HttpMethod.Head, HttpMethod.Options, HttpMethod.Trace, HttpMethod.Put, HttpMethod.Delete];

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var services = context.ServiceProvider;
        var retry = services.GetRequiredService<IOptions<GorgiasApiRetryOptions>>().Value;
        var httpTimeout = services.GetRequiredService<IOptions<GorgiasOptions>>().Value.HttpTimeout;
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var metrics = services.GetRequiredService<GorgiasMetrics>();

        if (retry.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = retry.MaxRetries,

                // The delay is Retry-After when Gorgias sends one (always, on its 429s), read by the one RetryAfter
                // rule rather than Polly's own parse; else a short exponential backoff.
                ShouldRetryAfterHeader = false,
                DelayGenerator = args => ValueTask.FromResult(
                    RetryAfter.FromGorgias(args.Outcome.Result?.Headers.RetryAfter, time.GetUtcNow())?.Delay),
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromSeconds(1),
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Result, time, retry.MaxRetryAfter)),

                // Waiting out Gorgias's own rate limit (a 429's Retry-After) is what gorgias.api.rate_limit.wait shows.
                OnRetry = args =>
                {
                    if (args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests })
                    {
                        metrics.RateLimitWaited(args.RetryDelay, GorgiasMetrics.RetryAfterReason);
                    }

                    return ValueTask.CompletedTask;
                },
            });
        }

        // Innermost, so each attempt gets the full timeout: waiting for budget, sending, and reading the bounded body.
        builder.AddTimeout(httpTimeout);
    }

    /// <summary>
    /// Retry a 429 or 503 of an idempotent request, unless the client-side limiter made it, or Gorgias asks for a
    /// longer wait than <paramref name="maxRetryAfter"/>: then the caller gets the answer at once, with its delay,
    /// rather than a request held open for minutes. Exceptions (timeouts, dropped connections) are not retried here.
    /// </summary>
    internal static bool ShouldRetry(HttpResponseMessage? response, TimeProvider time, TimeSpan maxRetryAfter)
    {
        if (response is null or ClientRateLimitedResponse
            || response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            || response.RequestMessage is not { } request
            || !IdempotentMethods.Contains(request.Method))
        {
            return false;
        }

        return RetryAfter.From(response.Headers.RetryAfter, time.GetUtcNow()) is not { } wait || wait.Delay <= maxRetryAfter;
    }
}

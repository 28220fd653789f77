using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Tokens;
using Microsoft.AspNetCore.Http;
using static Gorgias.Integration.Application.Tests.Api.ApiHarness;

namespace Gorgias.Integration.Application.Tests.Api;

/// <summary>
/// What the client retries and what it does not: one refresh and one retry on 401 (SECURITY.md row 23), a short
/// Retry-After waited out on the fake clock, a long one handed to the caller.
/// </summary>
public sealed class GorgiasApiRetryTests
{
    [Fact]
    public async Task GetAccount_WhenGorgiasAlwaysAnswers401_SendsTwoRequestsRefreshesOnceThenReturnsATypedError()
    {
        await using var harness = await StartAsync(static (context, _) =>
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return Task.CompletedTask;
        });

        var result = await harness.Client.GetAccountAsync(Acme, CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorKind.GorgiasError, result.Error.Kind);
        Assert.Equal("gorgias_api_unauthorized", result.Error.Code);
        Assert.Equal(2, harness.StandIn.ApiRequests);
        Assert.Equal(1, harness.Tokens.Refreshes);
        Assert.Equal(1, harness.StandIn.TokenRequests);
        Assert.Equal(["Bearer access-acme", "Bearer fresh-acme-1"], harness.StandIn.ApiRequestLog.Select(r => r.Authorization));
    }

    [Fact]
    public async Task GetAccount_WhenTheRefreshAfterA401Fails_SurfacesTheProvidersError()
    {
        await using var harness = await StartAsync(static (context, _) =>
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        });

        // Unknown account at the provider: GetAccessTokenAsync itself throws; no request is sent.
        var result = await harness.Client.GetAccountAsync(Domain.Installations.AccountName.Parse("globex"), CancellationToken.None);

        Assert.Equal(ErrorKind.NotFound, result.Error?.Kind);
        Assert.Equal(0, harness.StandIn.ApiRequests);
    }

    [Fact]
    public async Task RefitApi_WhenNoTokenCanBeHad_ThrowsGorgiasAccessExceptionUnwrapped()
    {
        await using var harness = await StartAsync(static (context, _) => GorgiasStandIn.WriteAccountAsync(context, "globex"));

        var exception = await Assert.ThrowsAsync<GorgiasAccessException>(
            () => harness.Apis.For(Domain.Installations.AccountName.Parse("globex")).GetAccountAsync(CancellationToken.None));

        Assert.Equal(ErrorKind.NotFound, exception.Error.Kind);
        Assert.Equal(0, harness.StandIn.ApiRequests);
    }

    [Fact]
    public async Task GetAccount_When429WithRetryAfter3_RetriesOnlyOnceThreeSecondsHavePassed()
    {
        await using var harness = await StartAsync(static (context, number) =>
        {
            if (number > 1)
            {
                return GorgiasStandIn.WriteAccountAsync(context, "acme");
            }

            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = "3";
            context.Response.Headers["X-Gorgias-Account-Api-Call-Limit"] = "80/80";
            return context.Response.WriteAsync("""{"error":"Too Many Requests"}""");
        });

        var call = harness.Client.GetAccountAsync(Acme, CancellationToken.None);
        await harness.Time.WaitForTimerAsync(TimeSpan.FromSeconds(3));
        harness.Time.Advance(TimeSpan.FromSeconds(3) - TimeSpan.FromMilliseconds(1));

        Assert.Equal(1, harness.StandIn.ApiRequests);
        Assert.False(call.IsCompleted);

        harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await call;

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(2, harness.StandIn.ApiRequests);
        Assert.Equal(0, harness.Tokens.Refreshes);
        Assert.All(harness.StandIn.ApiRequestLog, r => Assert.Equal("Bearer access-acme", r.Authorization));
    }

    [Fact]
    public async Task GetAccount_WhenRetryAfterExceedsTheBound_ReturnsUnavailableWithTheDelayWithoutWaiting()
    {
        await using var harness = await StartAsync(static (context, _) =>
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = "120";
            return context.Response.WriteAsync("""{"error":"Too Many Requests"}""");
        });

        // The fake clock never moves: a retry that waited would never finish.
        var result = await harness.Client.GetAccountAsync(Acme, CancellationToken.None);

        Assert.Equal(ErrorKind.GorgiasUnavailable, result.Error?.Kind);
        Assert.Equal("gorgias_rate_limited", result.Error?.Code);
        Assert.Equal(TimeSpan.FromSeconds(120), result.Error?.RetryAfter);
        Assert.Equal(1, harness.StandIn.ApiRequests);
    }

    [Fact]
    public async Task GetAccount_When503Persists_RetriesTwiceThenReturnsUnavailable()
    {
        await using var harness = await StartAsync(static (context, _) =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            return Task.CompletedTask;
        });

        var call = harness.Client.GetAccountAsync(Acme, CancellationToken.None);
        for (var retry = 1; retry <= 2; retry++)
        {
            await harness.Time.WaitForTimerAsync(TimeSpan.FromSeconds(1), retry);
            Assert.Equal(retry, harness.StandIn.ApiRequests);
            harness.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var result = await call;

        Assert.Equal(ErrorKind.GorgiasUnavailable, result.Error?.Kind);
        Assert.Equal("gorgias_unavailable", result.Error?.Code);
        Assert.Equal(TimeSpan.FromSeconds(1), result.Error?.RetryAfter);
        Assert.Equal(3, harness.StandIn.ApiRequests);
    }
}

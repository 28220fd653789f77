using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Tokens;
using Gorgias.Integration.Testing;
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
        await using var harness = await StartAsync(static _ => ScriptedAnswer.Empty(401, ("WWW-Authenticate", "Bearer error=\"invalid_token\"")));

        var result = await harness.Client.GetAccountAsync(Acme, CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorKind.GorgiasError, result.Error.Kind);
        Assert.Equal("gorgias_api_unauthorized", result.Error.Code);
        Assert.Equal(2, harness.Gorgias.ApiRequests);
        Assert.Equal(1, harness.Tokens.Refreshes);
        Assert.Equal(1, harness.Gorgias.TokenRequests);
        Assert.Equal(["Bearer access-acme", "Bearer fresh-acme-1"], harness.Gorgias.RequestsTo("GET", "/api/account").Select(r => r.Authorization));
    }

    [Fact]
    public async Task GetAccount_WhenTheRefreshAfterA401Fails_SurfacesTheProvidersError()
    {
        await using var harness = await StartAsync(static _ => ScriptedAnswer.Empty(401));

        // Unknown account at the provider: GetAccessTokenAsync itself throws; no request is sent.
        var result = await harness.Client.GetAccountAsync(Domain.Installations.AccountName.Parse("globex"), CancellationToken.None);

        Assert.Equal(ErrorKind.NotFound, result.Error?.Kind);
        Assert.Equal(0, harness.Gorgias.ApiRequests);
    }

    [Fact]
    public async Task RefitApi_WhenNoTokenCanBeHad_ThrowsGorgiasAccessExceptionUnwrapped()
    {
        await using var harness = await StartAsync(static _ => ScriptedAnswer.Account("globex"));

        var exception = await Assert.ThrowsAsync<GorgiasAccessException>(
            () => harness.Apis.For(Domain.Installations.AccountName.Parse("globex")).GetAccountAsync(CancellationToken.None));

        Assert.Equal(ErrorKind.NotFound, exception.Error.Kind);
        Assert.Equal(0, harness.Gorgias.ApiRequests);
    }

    [Fact]
    public async Task GetAccount_When429WithRetryAfter3_RetriesOnlyOnceThreeSecondsHavePassed()
    {
        await using var harness = await StartAsync(static request => request.Number > 1
            ? ScriptedAnswer.Account("acme")
            : ScriptedAnswer.Json(429, """{"error":"Too Many Requests"}""", ("Retry-After", "3"), ("X-Gorgias-Account-Api-Call-Limit", "80/80")));

        var call = harness.Client.GetAccountAsync(Acme, CancellationToken.None);
        await harness.Time.WaitForTimerAsync(TimeSpan.FromSeconds(3));
        harness.Time.Advance(TimeSpan.FromSeconds(3) - TimeSpan.FromMilliseconds(1));

        Assert.Equal(1, harness.Gorgias.ApiRequests);
        Assert.False(call.IsCompleted);

        harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await call;

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(2, harness.Gorgias.ApiRequests);
        Assert.Equal(0, harness.Tokens.Refreshes);
        Assert.All(harness.Gorgias.RequestsTo("GET", "/api/account"), r => Assert.Equal("Bearer access-acme", r.Authorization));
    }

    [Fact]
    public async Task GetAccount_WhenRetryAfterExceedsTheBound_ReturnsUnavailableWithTheDelayWithoutWaiting()
    {
        await using var harness = await StartAsync(static _ => ScriptedAnswer.Json(429, """{"error":"Too Many Requests"}""", ("Retry-After", "120")));

        // The fake clock never moves: a retry that waited would never finish.
        var result = await harness.Client.GetAccountAsync(Acme, CancellationToken.None);

        Assert.Equal(ErrorKind.GorgiasUnavailable, result.Error?.Kind);
        Assert.Equal("gorgias_rate_limited", result.Error?.Code);
        Assert.Equal(TimeSpan.FromSeconds(120), result.Error?.RetryAfter);
        Assert.Equal(1, harness.Gorgias.ApiRequests);
    }

    [Fact]
    public async Task GetAccount_When503Persists_RetriesTwiceThenReturnsUnavailable()
    {
        await using var harness = await StartAsync(static _ => ScriptedAnswer.Empty(503, ("Retry-After", "1")));

        var call = harness.Client.GetAccountAsync(Acme, CancellationToken.None);
        for (var retry = 1; retry <= 2; retry++)
        {
            await harness.Time.WaitForTimerAsync(TimeSpan.FromSeconds(1), retry);
            Assert.Equal(retry, harness.Gorgias.ApiRequests);
            harness.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var result = await call;

        Assert.Equal(ErrorKind.GorgiasUnavailable, result.Error?.Kind);
        Assert.Equal("gorgias_unavailable", result.Error?.Code);
        Assert.Equal(TimeSpan.FromSeconds(1), result.Error?.RetryAfter);
        Assert.Equal(3, harness.Gorgias.ApiRequests);
    }
}

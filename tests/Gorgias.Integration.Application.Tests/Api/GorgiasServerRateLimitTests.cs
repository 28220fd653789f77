using Gorgias.Integration.Infrastructure.Gorgias.Api;
using Gorgias.Integration.Testing;
using static Gorgias.Integration.Application.Tests.Api.ScriptedApiHarness;

namespace Gorgias.Integration.Application.Tests.Api;

/// <summary>
/// The server's rate limit drives the client's: <c>X-Gorgias-Account-Api-Call-Limit</c> near full makes the next request
/// wait (80 per 20 s drains one slot every 250 ms), and a 429's <c>Retry-After</c> is waited out and the request retried.
/// Waits run on the fake clock: the test advances it once the wait has begun.
/// </summary>
public sealed class GorgiasServerRateLimitTests
{
    private const string LimitHeader = "X-Gorgias-Account-Api-Call-Limit";

    private static ScriptedAnswer Ticket(string level) =>
        ScriptedAnswer.Json(200, """{"id":1,"subject":"S"}""", (LimitHeader, level));

    [Fact]
    public async Task NextRequest_AfterGorgiasReports79Of80_WaitsForOneSlotToDrainBeforeItIsSent()
    {
        await using var harness = await StartAsync();
        harness.Gorgias.On("GET", "/api/tickets/1", Ticket("79/80"), Ticket("40/80"));
        await harness.Api.GetTicketAsync(1, CancellationToken.None);

        var second = harness.Api.GetTicketAsync(1, CancellationToken.None);
        await harness.Time.WaitForTimerAsync(TimeSpan.FromMilliseconds(250));

        Assert.False(second.IsCompleted);
        Assert.Equal(1, harness.Gorgias.ApiRequests);
        harness.Time.Advance(TimeSpan.FromMilliseconds(250));
        Assert.Equal(1, (await second).Id);
        Assert.Equal(2, harness.Gorgias.ApiRequests);
    }

    [Fact]
    public async Task NextRequest_WhenGorgiasReportsRoomInTheBucket_IsSentAtOnce()
    {
        await using var harness = await StartAsync();
        harness.Gorgias.On("GET", "/api/tickets/1", Ticket("78/80"));

        await harness.Api.GetTicketAsync(1, CancellationToken.None);
        await harness.Api.GetTicketAsync(1, CancellationToken.None);

        Assert.Equal(2, harness.Gorgias.ApiRequests);
    }

    [Fact]
    public async Task NextRequest_WhenTheBucketIsFullForLongerThanTheClientWaits_IsRefusedWithoutReachingGorgias()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?> { ["Gorgias:ApiRetry:MaxRetries"] = "0" });

        // 80/80 after a 429 asking 60 s: longer than Gorgias:ApiRetry:MaxRetryAfter (30 s).
        harness.Gorgias.On("GET", "/api/tickets/1", ScriptedAnswer.Json(429, """{"error":"Too Many Requests"}""", (LimitHeader, "80/80"), ("Retry-After", "60")));
        await Assert.ThrowsAsync<GorgiasApiException>(() => harness.Api.GetTicketAsync(1, CancellationToken.None));

        var refused = await Assert.ThrowsAsync<GorgiasApiException>(() => harness.Api.GetTicketAsync(1, CancellationToken.None));

        Assert.Equal(GorgiasApiErrorKind.RateLimited, refused.Kind);
        Assert.True(refused.RetryAfter >= TimeSpan.FromSeconds(59));
        Assert.Equal(1, harness.Gorgias.ApiRequests);
    }

    [Fact]
    public async Task GetTicket_When429ThenSuccess_WaitsRetryAfterAndRetries()
    {
        await using var harness = await StartAsync();
        harness.Gorgias.On("GET", "/api/tickets/7",
            ScriptedAnswer.Json(429, """{"error":"Too Many Requests"}""", ("Retry-After", "2"), (LimitHeader, "80/80")),
            ScriptedAnswer.Json(200, """{"id":7}""", (LimitHeader, "20/80")));

        var call = harness.Api.GetTicketAsync(7, CancellationToken.None);
        await harness.Time.WaitForTimerAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(1, harness.Gorgias.ApiRequests);
        harness.Time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(7, (await call).Id);
        Assert.Equal(2, harness.Gorgias.ApiRequests);
    }

    [Fact]
    public async Task CreateTicket_On429_IsNotRetriedAndReportsTheWait()
    {
        await using var harness = await StartAsync();
        harness.Gorgias.On("POST", "/api/tickets", ScriptedAnswer.Json(429, """{"error":"Too Many Requests"}""", ("Retry-After", "3")));

        var failure = await Assert.ThrowsAsync<GorgiasApiException>(
            () => harness.Api.CreateTicketAsync(new GorgiasTicket { Subject = "Hi" }, CancellationToken.None));

        Assert.Equal(GorgiasApiErrorKind.RateLimited, failure.Kind);
        Assert.Equal(TimeSpan.FromSeconds(3), failure.RetryAfter);
        Assert.Equal(1, harness.Gorgias.ApiRequests);
    }
}

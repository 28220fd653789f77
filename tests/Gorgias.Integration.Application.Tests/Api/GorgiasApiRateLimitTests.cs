using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Testing;
using static Gorgias.Integration.Application.Tests.Api.ApiHarness;

namespace Gorgias.Integration.Application.Tests.Api;

/// <summary>
/// The client-side budget per account. System.Threading.RateLimiting runs on the real clock, so the tests use a budget
/// of 3 per hour: nothing refills while a test runs, and no assertion depends on timing.
/// </summary>
public sealed class GorgiasApiRateLimitTests
{
    private static readonly Dictionary<string, string?> SmallBudget = new()
    {
        ["Gorgias:ApiRateLimit:PermitLimit"] = "3",
        ["Gorgias:ApiRateLimit:Window"] = "01:00:00",
        ["Gorgias:ApiRateLimit:QueueLimit"] = "1",
    };

    [Fact]
    public async Task GetAccount_BeyondTheBudget_QueuesOneRefusesTheNextAndLeavesOtherAccountsAlone()
    {
        await using var harness = await StartAsync(static _ => ScriptedAnswer.Account("any"), SmallBudget);

        var first = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => harness.Client.GetAccountAsync(Acme, CancellationToken.None)));
        Assert.All(first, r => Assert.True(r.IsSuccess, r.Error?.Message));
        Assert.Equal(3, harness.Gorgias.ApiRequestsFor("acme"));

        // Budget spent: of the next two, one waits in the queue (limit 1) and the other is refused at once.
        using var cancelQueued = new CancellationTokenSource();
        var fourth = harness.Client.GetAccountAsync(Acme, cancelQueued.Token);
        var fifth = harness.Client.GetAccountAsync(Acme, cancelQueued.Token);
        var done = await Task.WhenAny(fourth, fifth);
        var queued = done == fourth ? fifth : fourth;
        var refused = await done;

        Assert.Equal(ErrorKind.GorgiasUnavailable, refused.Error?.Kind);
        Assert.Equal("gorgias_rate_limited", refused.Error?.Code);
        Assert.True(refused.Error?.RetryAfter > TimeSpan.Zero);
        Assert.Equal(3, harness.Gorgias.ApiRequestsFor("acme"));

        // Another account has its own budget.
        var other = await harness.Client.GetAccountAsync(Other, CancellationToken.None);
        Assert.True(other.IsSuccess, other.Error?.Message);
        Assert.Equal(1, harness.Gorgias.ApiRequestsFor("other"));

        Assert.False(queued.IsCompleted);
        Assert.Equal(3, harness.Gorgias.ApiRequestsFor("acme"));
        await cancelQueued.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.Equal(3, harness.Gorgias.ApiRequestsFor("acme"));
    }
}

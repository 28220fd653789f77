using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Tokens;
using static Gorgias.Integration.Application.Tests.Tokens.TokenTestKit;

namespace Gorgias.Integration.Application.Tests.Tokens;

/// <summary>The in-memory refresh backoff is one policy that owns its waits; the hot path and the refresher both ask it.</summary>
public sealed class RefreshFailureBackoffTests
{
    private static readonly Error Failure = new(ErrorKind.GorgiasUnavailable, "gorgias_unavailable", "Try again later.");

    [Fact]
    public void AFailureWithRetryAfter_WaitsExactlyThatLong_ThenNoMore()
    {
        var backoff = new RefreshFailureBackoff();
        var now = T0;

        var error = backoff.RecordFailure(Acme, TimeSpan.FromSeconds(40), now, wait => Failure with { RetryAfter = wait });

        Assert.Equal(TimeSpan.FromSeconds(40), error.RetryAfter);
        Assert.True(backoff.IsWaiting(Acme, now + TimeSpan.FromSeconds(39)));
        Assert.True(backoff.TryGetWait(Acme, now, out var until, out var stored));
        Assert.Equal((now + TimeSpan.FromSeconds(40), error), (until, stored));
        Assert.False(backoff.IsWaiting(Acme, now + TimeSpan.FromSeconds(40)));
        Assert.False(backoff.TryGetWait(Acme, now + TimeSpan.FromSeconds(40), out _, out _));
    }

    [Fact]
    public void ConsecutiveFailures_DoubleTheStep_AndClearStartsOver()
    {
        var backoff = new RefreshFailureBackoff();
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            backoff.RecordFailure(Acme, null, T0, wait => { waits.Add(wait); return Failure; });
        }

        backoff.Clear(Acme);
        backoff.RecordFailure(Acme, null, T0, wait => { waits.Add(wait); return Failure; });

        // Steps of 1 s, 2 s, 4 s, each jittered within [step, 2·step); after Clear the first step again.
        Assert.InRange(waits[0], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.InRange(waits[1], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        Assert.InRange(waits[2], TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8));
        Assert.InRange(waits[3], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }
}

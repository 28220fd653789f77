using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Domain.Tests.Installations;

public sealed class PendingRevocationTests
{
    private static readonly DateTimeOffset T0 = new(2025, 10, 9, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Start_CountsTheUninstallsAttempt_AndLeasesItForTheFirstBackoff_OrLongerWhenGorgiasAsked()
    {
        var started = PendingRevocation.Start(AccountName.Parse("acme"), "refresh", T0);
        var asked = PendingRevocation.Start(AccountName.Parse("acme"), "refresh", T0, TimeSpan.FromMinutes(10));

        Assert.Equal((1, T0.AddMinutes(1), T0), (started.Attempts, started.NextAttemptAt, started.CreatedAt));
        Assert.Equal(T0.AddMinutes(10), asked.NextAttemptAt);
    }

    [Fact]
    public void Claim_AddsAnAttempt_AndLeasesItForADoubledBackoff_CappedAtSixHours()
    {
        var claimed = PendingRevocation.Start(AccountName.Parse("acme"), "refresh", T0).Claim(T0.AddMinutes(5));
        var late = claimed with { Attempts = 40 };

        Assert.Equal((2, T0.AddMinutes(7)), (claimed.Attempts, claimed.NextAttemptAt));
        Assert.Equal(T0.AddHours(6), late.Claim(T0).NextAttemptAt);
    }

    [Fact]
    public void RetryLater_MovesTheDueTimeOnlyWhenItLiesBeyondTheLease()
    {
        var claimed = PendingRevocation.Start(AccountName.Parse("acme"), "refresh", T0).Claim(T0); // due T0 + 2 min

        Assert.Null(claimed.RetryLater(T0, retryAfter: null));
        Assert.Equal(T0.AddMinutes(2).AddSeconds(5), claimed.RetryLater(T0.AddSeconds(5), retryAfter: null)!.NextAttemptAt);
        Assert.Equal(T0.AddMinutes(30), claimed.RetryLater(T0, TimeSpan.FromMinutes(30))!.NextAttemptAt);
    }
}

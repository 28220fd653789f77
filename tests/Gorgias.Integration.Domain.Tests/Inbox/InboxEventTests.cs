using Gorgias.Integration.Domain.Common;
using Gorgias.Integration.Domain.Inbox;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Domain.Tests.Inbox;

public sealed class InboxEventTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Backoff_DoublesFromTheFirstRetry_UpToTheCap_AndNeverOverflows()
    {
        var first = TimeSpan.FromSeconds(5);
        var max = TimeSpan.FromHours(1);

        Assert.Equal([5, 10, 20, 40, 80], Enumerable.Range(1, 5).Select(a => InboxEvent.Backoff(a, first, max).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(2560), InboxEvent.Backoff(10, first, max));
        Assert.Equal(max, InboxEvent.Backoff(11, first, max));
        Assert.Equal(max, InboxEvent.Backoff(int.MaxValue, first, max));
        Assert.Throws<ArgumentOutOfRangeException>(() => InboxEvent.Backoff(0, first, max));
    }

    [Fact]
    public void Receive_IsDueAtOnce_WithNoAttempts()
    {
        var received = InboxEvent.Receive(AccountName.Parse("acme"), "ticket-created", "k", 1, null, null, "{}", T0);

        Assert.Equal((0L, 0, T0, T0, true), (received.Id, received.Attempts, received.NextAttemptAt, received.ReceivedAt, received.IsPending));
        Assert.DoesNotContain("{}", received.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Ticket-Created")]
    [InlineData("ticket created")]
    [InlineData("ticket.created")]
    public void Receive_WithAnEventNameThatIsNoTrigger_IsRejected(string name) =>
        Assert.Throws<DomainException>(() => InboxEvent.Receive(AccountName.Parse("acme"), name, "k", null, null, null, "{}", T0));

    [Fact]
    public void Subscription_HasA256BitSecret_FailuresBackOff_AndASuccessResetsThem()
    {
        var started = EventSubscription.Start(AccountName.Parse("acme"), T0);
        var failed = started.Failed(new Dictionary<string, long>(), "boom", T0, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15))
            .Failed(new Dictionary<string, long>(), "boom", T0, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15));
        var healed = failed.Succeeded(new Dictionary<string, long> { ["ticket-created"] = 1 }, T0, TimeSpan.FromMinutes(15));

        Assert.Equal(43, started.Secret.Length);
        Assert.NotEqual(started.Secret, EventSubscription.Start(AccountName.Parse("acme"), T0).Secret);
        Assert.Equal((EventSubscriptionStatus.Failing, 2, T0.AddMinutes(2)), (failed.Status, failed.Failures, failed.NextCheckAt));
        Assert.Equal((EventSubscriptionStatus.Active, 0, (string?)null, T0.AddMinutes(15)), (healed.Status, healed.Failures, healed.LastError, healed.NextCheckAt));
        Assert.DoesNotContain(started.Secret, started.ToString(), StringComparison.Ordinal);
    }
}

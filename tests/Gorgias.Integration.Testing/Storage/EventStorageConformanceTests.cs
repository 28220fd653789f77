using System.Collections.Concurrent;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Inbox;
using Gorgias.Integration.Domain.Installations;
using Xunit;

namespace Gorgias.Integration.Testing.Storage;

/// <summary>The inbox and the event subscriptions of one store, and how to dispose them.</summary>
/// <param name="Inbox">The adapter's inbox.</param>
/// <param name="Subscriptions">The adapter's subscription store.</param>
/// <param name="OpenAnotherInbox">A second inbox on the same storage, as another instance of the app would open it.</param>
/// <param name="Dispose">Removes the store.</param>
public sealed record EventStorageUnderTest(IEventInbox Inbox, IEventSubscriptionStore Subscriptions, Func<IEventInbox> OpenAnotherInbox, Func<ValueTask> Dispose)
    : IAsyncDisposable
{
    /// <inheritdoc />
    public ValueTask DisposeAsync() => Dispose();
}

/// <summary>
/// What every storage adapter's event inbox and subscription store must do (SECURITY.md row 52, docs/ARCHITECTURE.md):
/// a delivery key lands once per account, a claim hands each event to one claimer and only the oldest pending one of
/// its account, every change after a claim is conditional on it, and subscriptions round-trip with their secret.
/// </summary>
public abstract class EventStorageConformanceTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_123);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>A fresh, empty store; each test creates its own.</summary>
    protected abstract Task<EventStorageUnderTest> CreateEventStorageAsync();

    /// <summary>A retried or replayed delivery (same key) is stored once per account, the first body kept.</summary>
    [Fact]
    public async Task Row61_ADeliveryKeyLandsOncePerAccount_AndAnotherAccountMayHaveTheSameKey()
    {
        await using var storage = await CreateEventStorageAsync();
        Assert.True(await storage.Inbox.AddAsync(Event("acme", "k1"), default));
        Assert.False(await storage.Inbox.AddAsync(Event("acme", "k1", payload: """{"event":"ticket-created","replayed":true}"""), default));
        Assert.True(await storage.Inbox.AddAsync(Event("globex", "k1"), default));

        var stored = await storage.Inbox.ListRecentAsync(Account("acme"), 10, default);
        var only = Assert.Single(stored);
        Assert.Equal(("ticket-created", "k1", 42L, (long?)7, T0.AddSeconds(-5), T0, """{"event":"ticket-created"}""", 0),
            (only.EventName, only.DeliveryKey, only.TicketId.GetValueOrDefault(), only.MessageId, only.OccurredAt!.Value, only.ReceivedAt, only.Payload, only.Attempts));
        Assert.Equal(2, (await storage.Inbox.ListRecentAsync(null, 10, default)).Count);
    }

    /// <summary>A claim takes the head of each account; the account's next event comes only once the head is handled.</summary>
    [Fact]
    public async Task Claim_GivesEachAccountsOldestPendingEvent_AndTheNextOneOnlyAfterItWasHandled()
    {
        await using var storage = await CreateEventStorageAsync();
        foreach (var (account, key) in new[] { ("acme", "a1"), ("acme", "a2"), ("globex", "g1"), ("acme", "a3") })
        {
            await storage.Inbox.AddAsync(Event(account, key), default);
        }

        var first = await storage.Inbox.ClaimAsync(T0, Lease, 10, default);
        Assert.Equal(["a1", "g1"], first.Select(e => e.DeliveryKey));
        Assert.All(first, e => Assert.Equal((1, T0 + Lease), (e.Attempts, e.NextAttemptAt)));
        Assert.Empty(await storage.Inbox.ClaimAsync(T0, Lease, 10, default));

        Assert.True(await storage.Inbox.MarkHandledAsync(first[0], T0.AddSeconds(1), default));
        Assert.Equal(["a2"], (await storage.Inbox.ClaimAsync(T0.AddSeconds(1), Lease, 10, default)).Select(e => e.DeliveryKey));
        Assert.Equal(T0.AddSeconds(1), (await storage.Inbox.ListRecentAsync(Account("acme"), 10, default)).Single(e => e.DeliveryKey == "a1").HandledAt);
    }

    /// <summary>A failed event blocks its account until due again; a parked one is kept and no longer blocks.</summary>
    [Fact]
    public async Task RetryLater_KeepsTheAccountWaitingUntilDue_AndParking_LetsItsNextEventGo()
    {
        await using var storage = await CreateEventStorageAsync();
        await storage.Inbox.AddAsync(Event("acme", "a1"), default);
        await storage.Inbox.AddAsync(Event("acme", "a2"), default);

        var claimed = Assert.Single(await storage.Inbox.ClaimAsync(T0, Lease, 10, default));
        Assert.True(await storage.Inbox.RetryLaterAsync(claimed, T0.AddSeconds(5), "InvalidOperationException: boom", default));
        Assert.Empty(await storage.Inbox.ClaimAsync(T0.AddSeconds(4), Lease, 10, default));

        var again = Assert.Single(await storage.Inbox.ClaimAsync(T0.AddSeconds(5), Lease, 10, default));
        Assert.Equal(("a1", 2, "InvalidOperationException: boom"), (again.DeliveryKey, again.Attempts, again.LastError));
        Assert.True(await storage.Inbox.ParkAsync(again, T0.AddSeconds(6), "InvalidOperationException: boom again", default));

        Assert.Equal(["a2"], (await storage.Inbox.ClaimAsync(T0.AddSeconds(6), Lease, 10, default)).Select(e => e.DeliveryKey));
        var parked = (await storage.Inbox.ListRecentAsync(Account("acme"), 10, default)).Single(e => e.DeliveryKey == "a1");
        Assert.Equal((T0.AddSeconds(6), (DateTimeOffset?)null, "InvalidOperationException: boom again"), (parked.ParkedAt!.Value, parked.HandledAt, parked.LastError));
    }

    /// <summary>After its lease the event is claimed again; the first claimer's late result is refused.</summary>
    [Fact]
    public async Task AClaimWhoseLeaseRanOut_IsTakenOver_AndItsLateResultChangesNothing()
    {
        await using var storage = await CreateEventStorageAsync();
        await storage.Inbox.AddAsync(Event("acme", "a1"), default);
        var stale = Assert.Single(await storage.Inbox.ClaimAsync(T0, Lease, 10, default));
        Assert.Empty(await storage.Inbox.ClaimAsync(T0 + Lease - TimeSpan.FromMilliseconds(1), Lease, 10, default));

        var takenOver = Assert.Single(await storage.Inbox.ClaimAsync(T0 + Lease, Lease, 10, default));
        Assert.Equal(2, takenOver.Attempts);
        Assert.False(await storage.Inbox.MarkHandledAsync(stale, T0 + Lease, default));
        Assert.False(await storage.Inbox.ParkAsync(stale, T0 + Lease, "late", default));
        Assert.True(await storage.Inbox.MarkHandledAsync(takenOver, T0 + Lease, default));
        Assert.False(await storage.Inbox.RetryLaterAsync(takenOver, T0 + Lease, "after handling", default));
    }

    /// <summary>Eight claimers on two instances: every event claimed once, each account's in arrival order.</summary>
    [Fact]
    public async Task ClaimersOnTwoInstancesAtOnce_HandEachEventToExactlyOne_InOrderPerAccount()
    {
        await using var storage = await CreateEventStorageAsync();
        const int accounts = 6, perAccount = 10;
        for (var i = 0; i < perAccount; i++)
        {
            for (var a = 0; a < accounts; a++)
            {
                await storage.Inbox.AddAsync(Event($"acct{a}", $"e{i:D2}"), default);
            }
        }

        var instances = new[] { storage.Inbox, storage.OpenAnotherInbox() };
        var handled = new ConcurrentQueue<InboxEvent>();
        var claimers = Enumerable.Range(0, 8).Select(n => Task.Run(async () =>
        {
            var inbox = instances[n % 2];
            for (var idle = 0; idle < 50 && handled.Count < accounts * perAccount;)
            {
                var claimed = await inbox.ClaimAsync(T0, Lease, 3, default);
                idle = claimed.Count == 0 ? idle + 1 : 0;
                foreach (var e in claimed)
                {
                    handled.Enqueue(e);
                    Assert.True(await inbox.MarkHandledAsync(e, T0, default));
                }
            }
        })).ToArray();
        await Task.WhenAll(claimers);

        Assert.Equal(accounts * perAccount, handled.Count);
        Assert.Equal(accounts * perAccount, handled.Select(e => e.Id).Distinct().Count());
        Assert.All(handled, e => Assert.Equal(1, e.Attempts));
        foreach (var account in handled.GroupBy(e => e.Account))
        {
            // Each account's events were handed out one at a time, oldest first.
            var ids = account.Select(e => e.Id).ToList();
            Assert.Equal(ids.Order(), ids);
        }
    }

    /// <summary>The purge deletes handled events before the bound only, never pending ones.</summary>
    [Fact]
    public async Task PurgeHandled_DeletesOnlyHandledEventsBeforeTheBound_OfOneAccountOrAll()
    {
        await using var storage = await CreateEventStorageAsync();
        foreach (var (account, key) in new[] { ("acme", "a1"), ("acme", "a2"), ("globex", "g1"), ("globex", "g2") })
        {
            await storage.Inbox.AddAsync(Event(account, key), default);
        }

        // One claim hands out each account's oldest: a1 and g1 are handled, a2 and g2 still pending.
        foreach (var e in await storage.Inbox.ClaimAsync(T0, Lease, 10, default))
        {
            await storage.Inbox.MarkHandledAsync(e, T0, default);
        }

        Assert.Equal(0, await storage.Inbox.PurgeHandledAsync(null, T0, default));
        Assert.Equal(1, await storage.Inbox.PurgeHandledAsync(Account("acme"), DateTimeOffset.MaxValue, default));
        Assert.Equal(["g2", "g1", "a2"], (await storage.Inbox.ListRecentAsync(null, 10, default)).Select(e => e.DeliveryKey));
        Assert.Equal(1, await storage.Inbox.PurgeHandledAsync(null, T0.AddMilliseconds(1), default));
        Assert.Equal(["g2", "a2"], (await storage.Inbox.ListRecentAsync(null, 10, default)).Select(e => e.DeliveryKey));
    }

    /// <summary>A subscription reads back with its secret and its SHA-256 for the receiver; a due one is claimed once until its lease ends; it is deleted.</summary>
    [Fact]
    public async Task Subscription_RoundTripsWithItsSecret_HashesIt_ListsDueAndDeletes()
    {
        await using var storage = await CreateEventStorageAsync();
        var started = EventSubscription.Start(Account("acme"), T0);
        Assert.Null(await storage.Subscriptions.FindAsync(Account("acme"), default));
        Assert.Null(await storage.Subscriptions.FindSecretHashAsync(Account("acme"), default));

        var active = started.Succeeded(new Dictionary<string, long> { ["ticket-created"] = 11, ["ticket-message-created"] = 12 }, T0, TimeSpan.FromMinutes(15));
        await storage.Subscriptions.SaveAsync(active, default);
        await storage.Subscriptions.SaveAsync(EventSubscription.Start(Account("globex"), T0)
            .Failed(new Dictionary<string, long>(), "GorgiasApiException: 503", T0, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15)), default);

        var read = (await storage.Subscriptions.FindAsync(Account("acme"), default))!;
        Assert.Equal((started.Secret, EventSubscriptionStatus.Active, 0, T0.AddMinutes(15), (string?)null), (read.Secret, read.Status, read.Failures, read.NextCheckAt, read.LastError));
        Assert.Equal(active.IntegrationIds.OrderBy(p => p.Key), read.IntegrationIds.OrderBy(p => p.Key));
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(started.Secret)),
            await storage.Subscriptions.FindSecretHashAsync(Account("acme"), default));

        var failing = (await storage.Subscriptions.FindAsync(Account("globex"), default))!;
        Assert.Equal((EventSubscriptionStatus.Failing, 1, "GorgiasApiException: 503"), (failing.Status, failing.Failures, failing.LastError));
        Assert.Equal(["globex"], (await storage.Subscriptions.ClaimDueAsync(T0.AddMinutes(1), TimeSpan.FromMinutes(5), 10, default)).Select(a => a.Value));
        Assert.Empty(await storage.Subscriptions.ClaimDueAsync(T0.AddMinutes(5), TimeSpan.FromMinutes(5), 10, default));
        Assert.Equal(["acme", "globex"], (await storage.Subscriptions.ClaimDueAsync(T0.AddMinutes(15), TimeSpan.FromMinutes(5), 10, default)).Select(a => a.Value));
        Assert.Equal(T0.AddMinutes(20), (await storage.Subscriptions.FindAsync(Account("acme"), default))!.NextCheckAt);

        Assert.True(await storage.Subscriptions.DeleteAsync(Account("acme"), default));
        Assert.False(await storage.Subscriptions.DeleteAsync(Account("acme"), default));
        Assert.Null(await storage.Subscriptions.FindSecretHashAsync(Account("acme"), default));
    }

    private static AccountName Account(string value) => AccountName.Parse(value);

    private static InboxEvent Event(string account, string key, string payload = """{"event":"ticket-created"}""") =>
        InboxEvent.Receive(Account(account), "ticket-created", key, 42, 7, T0.AddSeconds(-5), payload, T0);
}

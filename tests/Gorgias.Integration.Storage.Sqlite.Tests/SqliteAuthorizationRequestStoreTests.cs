using System.Security.Cryptography;
using System.Text;
using Gorgias.Integration.Domain.Authorization;
using static Gorgias.Integration.Storage.Sqlite.Tests.TestData;

namespace Gorgias.Integration.Storage.Sqlite.Tests;

public sealed class SqliteAuthorizationRequestStoreTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Add_ThenConsume_RoundTripsEveryField(bool withVerifier)
    {
        var store = _db.Open();
        var request = Request(Account("acme"), T0, withVerifier);
        await store.Requests.AddAsync(request, CancellationToken.None);

        var consumed = await store.Requests.ConsumeAsync(request.State, request.Account, request.BrowserBinding, T0.AddMinutes(1), CancellationToken.None);

        Assert.NotNull(consumed);
        Assert.Equal(request.State, consumed.State);
        Assert.Equal(request.Account, consumed.Account);
        Assert.Equal(request.Nonce, consumed.Nonce);
        Assert.Equal(request.CodeVerifier, consumed.CodeVerifier);
        Assert.Equal(withVerifier, consumed.CodeVerifier is not null);
        Assert.Equal(request.RedirectUri, consumed.RedirectUri);
        Assert.Equal(request.BrowserBinding, consumed.BrowserBinding);
        Assert.Equal(T0, consumed.CreatedAt);
        Assert.Equal(T0 + AuthorizationRequest.DefaultLifetime, consumed.ExpiresAt);
    }

    [Fact]
    public async Task Row7_Consume_Twice_SecondCallGetsNothing()
    {
        var store = _db.Open();
        var request = Request(Account("acme"), T0);
        await store.Requests.AddAsync(request, CancellationToken.None);

        Assert.NotNull(await store.Requests.ConsumeAsync(request.State, request.Account, request.BrowserBinding, T0, CancellationToken.None));
        Assert.Null(await store.Requests.ConsumeAsync(request.State, request.Account, request.BrowserBinding, T0, CancellationToken.None));
    }

    [Fact]
    public async Task Row7_Consume_By20ConcurrentCallers_ExactlyOneWins()
    {
        var store = _db.Open();
        var request = Request(Account("acme"), T0);
        await store.Requests.AddAsync(request, CancellationToken.None);

        var results = await RunConcurrentlyAsync(20, _ =>
            store.Requests.ConsumeAsync(request.State, request.Account, request.BrowserBinding, T0.AddSeconds(30), CancellationToken.None));

        var winner = Assert.Single(results, r => r is not null);
        Assert.Equal(19, results.Count(r => r is null));
        Assert.Equal(request.Nonce, winner!.Nonce);
        Assert.Equal(0, await store.Requests.CountPendingAsync(T0, CancellationToken.None));
    }

    [Fact]
    public async Task Row6_Consume_WhenExpired_ReturnsNullAndLeavesTheRowForThePurge()
    {
        var store = _db.Open();
        var request = Request(Account("acme"), T0);
        await store.Requests.AddAsync(request, CancellationToken.None);

        Assert.Null(await store.Requests.ConsumeAsync(request.State, request.Account, request.BrowserBinding, request.ExpiresAt, CancellationToken.None));
        Assert.Null(await store.Requests.ConsumeAsync(request.State, request.Account, request.BrowserBinding, request.ExpiresAt.AddDays(1), CancellationToken.None));
        Assert.Equal(1, await store.Requests.PurgeExpiredAsync(request.ExpiresAt, CancellationToken.None));
    }

    [Fact]
    public async Task Row6_Consume_OneMillisecondBeforeExpiry_Succeeds()
    {
        var store = _db.Open();
        var request = Request(Account("acme"), T0);
        await store.Requests.AddAsync(request, CancellationToken.None);

        Assert.NotNull(await store.Requests.ConsumeAsync(request.State, request.Account, request.BrowserBinding, request.ExpiresAt.AddMilliseconds(-1), CancellationToken.None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    public async Task Row6_Consume_OfAStateThatCouldNeverHaveBeenIssued_ReturnsNull(string state)
    {
        var store = _db.Open();
        var request = Request(Account("acme"), T0);
        await store.Requests.AddAsync(request, CancellationToken.None);

        Assert.Null(await store.Requests.ConsumeAsync(state, request.Account, request.BrowserBinding, T0, CancellationToken.None));
        Assert.Equal(1, await store.Requests.CountPendingAsync(T0, CancellationToken.None));
    }

    [Fact]
    public async Task Row6_Consume_OfAnUnknownState_ReturnsNullAndTakesNothing()
    {
        var store = _db.Open();
        var request = Request(Account("acme"), T0);
        await store.Requests.AddAsync(request, CancellationToken.None);

        Assert.Null(await store.Requests.ConsumeAsync(NewState(), request.Account, request.BrowserBinding, T0, CancellationToken.None));
        Assert.Equal(1, await store.Requests.CountPendingAsync(T0, CancellationToken.None));
    }

    [Fact]
    public async Task Row39_Consume_FromAnotherBrowser_TakesNothingAndTheRightBrowserStillGetsIt()
    {
        var store = _db.Open();
        var request = Request(Account("acme"), T0);
        await store.Requests.AddAsync(request, CancellationToken.None);

        var stranger = await store.Requests.ConsumeAsync(request.State, request.Account, "another-browser-binding", T0, CancellationToken.None);
        var owner = await store.Requests.ConsumeAsync(request.State, request.Account, request.BrowserBinding, T0, CancellationToken.None);

        Assert.Null(stranger);
        Assert.NotNull(owner);
        Assert.Equal(request.Nonce, owner.Nonce);
    }

    [Fact]
    public async Task Row39_Consume_ForAnotherAccount_TakesNothingAndTheRightAccountStillGetsIt()
    {
        var store = _db.Open();
        var request = Request(Account("acme"), T0);
        await store.Requests.AddAsync(request, CancellationToken.None);

        var wrongAccount = await store.Requests.ConsumeAsync(request.State, Account("globex"), request.BrowserBinding, T0, CancellationToken.None);
        var rightAccount = await store.Requests.ConsumeAsync(request.State, request.Account, request.BrowserBinding, T0, CancellationToken.None);

        Assert.Null(wrongAccount);
        Assert.NotNull(rightAccount);
    }

    [Fact]
    public async Task Row37_PurgeExpired_RemovesOnlyExpiredRequests()
    {
        var store = _db.Open();
        var now = T0.AddMinutes(30);
        var expired = new[]
        {
            Request(Account("a1"), T0),                                                      // expired 20 min ago
            Request(Account("a2"), T0.AddMinutes(15)),                                       // expired 5 min ago
            Request(Account("a3"), now - AuthorizationRequest.DefaultLifetime),              // expires exactly now
        };
        var live = new[]
        {
            Request(Account("b1"), now.AddMinutes(-1)),
            Request(Account("b2"), now - AuthorizationRequest.DefaultLifetime + TimeSpan.FromMilliseconds(1)),
        };
        foreach (var request in expired.Concat(live))
        {
            await store.Requests.AddAsync(request, CancellationToken.None);
        }

        Assert.Equal(3, await store.Requests.PurgeExpiredAsync(now, CancellationToken.None));
        Assert.Equal(0, await store.Requests.PurgeExpiredAsync(now, CancellationToken.None));
        Assert.Equal(2, await ScalarAsync<long>(store, "SELECT COUNT(*) FROM authorization_requests"));
        foreach (var request in live)
        {
            Assert.NotNull(await store.Requests.ConsumeAsync(request.State, request.Account, request.BrowserBinding, now, CancellationToken.None));
        }
    }

    [Fact]
    public async Task Row37_CountPending_CountsOnlyUnexpiredRequests()
    {
        var store = _db.Open();
        await store.Requests.AddAsync(Request(Account("a1"), T0, lifetime: TimeSpan.FromMinutes(1)), CancellationToken.None);
        await store.Requests.AddAsync(Request(Account("a2"), T0, lifetime: TimeSpan.FromMinutes(5)), CancellationToken.None);
        await store.Requests.AddAsync(Request(Account("a3"), T0, lifetime: TimeSpan.FromMinutes(10)), CancellationToken.None);

        Assert.Equal(3, await store.Requests.CountPendingAsync(T0, CancellationToken.None));
        Assert.Equal(2, await store.Requests.CountPendingAsync(T0.AddMinutes(1), CancellationToken.None));
        Assert.Equal(1, await store.Requests.CountPendingAsync(T0.AddMinutes(9), CancellationToken.None));
        Assert.Equal(0, await store.Requests.CountPendingAsync(T0.AddMinutes(10), CancellationToken.None));
    }

    [Fact]
    public async Task Row37_CountStored_IsAnUpperBoundOfPending_UntilExpiredRowsArePurged()
    {
        var store = _db.Open();
        await store.Requests.AddAsync(Request(Account("a1"), T0, lifetime: TimeSpan.FromMinutes(1)), CancellationToken.None);
        await store.Requests.AddAsync(Request(Account("a2"), T0, lifetime: TimeSpan.FromMinutes(10)), CancellationToken.None);
        var later = T0.AddMinutes(5);

        Assert.Equal(2, await store.Requests.CountStoredAsync(CancellationToken.None));
        Assert.Equal(1, await store.Requests.CountPendingAsync(later, CancellationToken.None));
        Assert.Equal(1, await store.Requests.PurgeExpiredAsync(later, CancellationToken.None));
        Assert.Equal(1, await store.Requests.CountStoredAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Row37_TryAddBelow_StoresBelowTheCap_AndStoresNothingAtIt()
    {
        var store = _db.Open();
        await store.Requests.AddAsync(Request(Account("a1"), T0), CancellationToken.None);
        var third = Request(Account("a3"), T0);
        var refused = Request(Account("a4"), T0);

        Assert.True(await store.Requests.TryAddBelowAsync(Request(Account("a2"), T0), 3, CancellationToken.None));
        Assert.True(await store.Requests.TryAddBelowAsync(third, 3, CancellationToken.None));
        Assert.False(await store.Requests.TryAddBelowAsync(refused, 3, CancellationToken.None));

        Assert.Equal(3, await store.Requests.CountStoredAsync(CancellationToken.None));
        Assert.NotNull(await store.Requests.ConsumeAsync(third.State, third.Account, third.BrowserBinding, T0, CancellationToken.None));
        Assert.Null(await store.Requests.ConsumeAsync(refused.State, refused.Account, refused.BrowserBinding, T0, CancellationToken.None));
    }

    [Fact]
    public async Task Row37_TryAddBelow_By20ConcurrentCallers_StoresExactlyUpToTheCap()
    {
        var store = _db.Open();

        var results = await RunConcurrentlyAsync(20, i =>
            store.Requests.TryAddBelowAsync(Request(Account($"acct{i}"), T0), 5, CancellationToken.None));

        Assert.Equal(5, results.Count(stored => stored));
        Assert.Equal(5, await store.Requests.CountStoredAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Row8_State_IsStoredOnlyAsItsSha256()
    {
        var store = _db.Open();
        var request = Request(Account("acme"), T0);
        await store.Requests.AddAsync(request, CancellationToken.None);

        var stored = await ScalarAsync<byte[]>(store, "SELECT state_hash FROM authorization_requests");

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(request.State)), stored);
    }
}

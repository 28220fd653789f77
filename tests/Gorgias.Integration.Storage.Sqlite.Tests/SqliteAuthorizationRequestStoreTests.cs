using System.Security.Cryptography;
using System.Text;
using Gorgias.Integration.Domain.Authorization;
using static Gorgias.Integration.Storage.Sqlite.Tests.TestData;

namespace Gorgias.Integration.Storage.Sqlite.Tests;

/// <summary>
/// The record of used authorization requests. A pending request is not stored (it travels in the state, see
/// <c>AuthorizationStateProtectorTests</c>); this table makes each one usable once.
/// </summary>
public sealed class SqliteAuthorizationRequestStoreTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Row7_Consume_Twice_SecondCallIsRefused()
    {
        var store = _db.Open();
        var request = Request(Account("acme"), T0);

        Assert.True(await store.Requests.TryConsumeAsync(request, CancellationToken.None));
        Assert.False(await store.Requests.TryConsumeAsync(request, CancellationToken.None));
        Assert.True(await store.Requests.TryConsumeAsync(Request(Account("acme"), T0), CancellationToken.None)); // another request
    }

    [Fact]
    public async Task Row7_Consume_By20ConcurrentCallers_ExactlyOneWins()
    {
        var store = _db.Open();
        var request = Request(Account("acme"), T0);

        var results = await RunConcurrentlyAsync(20, _ => store.Requests.TryConsumeAsync(request, CancellationToken.None));

        Assert.Single(results, r => r);
        Assert.Equal(1, await ScalarAsync<long>(store, "SELECT COUNT(*) FROM used_authorization_requests"));
    }

    [Fact]
    public async Task Row7_Consume_FromTwoProcessesWorthOfConnections_ExactlyOneWins()
    {
        // Two databases on one file: two writers that only SQLite's file lock orders, as two processes would be.
        var (first, second) = (_db.Open(), _db.Open());
        var request = Request(Account("acme"), T0);

        var results = await RunConcurrentlyAsync(20, i => (i % 2 == 0 ? first : second).Requests.TryConsumeAsync(request, CancellationToken.None));

        Assert.Single(results, r => r);
    }

    [Fact]
    public async Task Row37_PurgeExpired_RemovesOnlyExpiredRecords()
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
            Assert.True(await store.Requests.TryConsumeAsync(request, CancellationToken.None));
        }

        Assert.Equal(3, await store.Requests.PurgeExpiredAsync(now, CancellationToken.None));
        Assert.Equal(0, await store.Requests.PurgeExpiredAsync(now, CancellationToken.None));
        Assert.Equal(2, await ScalarAsync<long>(store, "SELECT COUNT(*) FROM used_authorization_requests"));
        foreach (var request in live)
        {
            Assert.False(await store.Requests.TryConsumeAsync(request, CancellationToken.None)); // still recorded, still refused
        }
    }

    [Fact]
    public async Task Row8_UsedRequest_IsStoredOnlyAsItsIdsSha256AndItsExpiry()
    {
        var store = _db.Open();
        var request = Request(Account("acme"), T0);
        Assert.True(await store.Requests.TryConsumeAsync(request, CancellationToken.None));

        var columns = (await QueryAsync<string>(store, "SELECT name FROM pragma_table_info('used_authorization_requests') ORDER BY cid")).ToArray();
        var stored = await ScalarAsync<byte[]>(store, "SELECT state_hash FROM used_authorization_requests");

        Assert.Equal(["state_hash", "expires_at"], columns);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(request.State)), stored);
        Assert.Equal(request.ExpiresAt.ToUnixTimeMilliseconds(), await ScalarAsync<long>(store, "SELECT expires_at FROM used_authorization_requests"));
    }
}

using System.Security.Cryptography;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Domain.Authorization;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Xunit;

namespace Gorgias.Integration.Testing.Storage;

/// <summary>
/// What every storage adapter must do, whatever it stores in: a test project inherits this class, supplies
/// <see cref="CreateStorageAsync"/>, and runs every test below against its adapter. Nothing here knows the adapter's
/// engine: it goes through the ports only, except <see cref="StorageUnderTest.ReadRawStoredBytes"/>.
/// </summary>
public abstract partial class StorageConformanceTests
{
    /// <summary>A time at millisecond precision, which every adapter keeps exactly.</summary>
    protected static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_123);

    private static readonly IReadOnlyList<string> Scopes = ["openid", "offline", "write:all"];

    /// <summary>A fresh, empty store set; each test creates its own and disposes it.</summary>
    protected abstract Task<StorageUnderTest> CreateStorageAsync();

    /// <summary>An installation saves at version 0, reads back as saved, and every update raises its version by one.</summary>
    [Fact]
    public async Task Installation_RoundTrips_AndEachSaveRaisesItsVersion()
    {
        await using var storage = await CreateStorageAsync();
        await storage.Installations.SaveAsync(Installation.Start(Account("zulu"), T0), CancellationToken.None);
        await storage.Installations.SaveAsync(Installation.Start(Account("acme"), T0), CancellationToken.None);

        var loaded = (await storage.Installations.FindAsync(Account("acme"), CancellationToken.None))!;
        Assert.Equal((InstallationStatus.Pending, T0, 1L), (loaded.Status, loaded.CreatedAt, loaded.Version));
        loaded.Activate(Scopes, T0.AddMinutes(1));
        await storage.Installations.SaveAsync(loaded, CancellationToken.None);

        var active = (await storage.Installations.FindAsync(Account("acme"), CancellationToken.None))!;
        Assert.Equal((InstallationStatus.Active, T0.AddMinutes(1), 2L), (active.Status, active.ActivatedAt, active.Version));
        Assert.Equal(Scopes, active.Scopes);
        Assert.Equal(["acme", "zulu"], (await storage.Installations.ListAsync(CancellationToken.None)).Select(i => i.Account.Value));
        Assert.Null(await storage.Installations.FindAsync(Account("nobody"), CancellationToken.None));
    }

    /// <summary>An install stores installation and tokens together; a refresh replaces both tokens and raises the version.</summary>
    [Fact]
    public async Task InstallAndRefresh_RoundTripTheTokenSet_AndTheAccessStamp()
    {
        await using var storage = await CreateStorageAsync();
        var issued = await InstallAsync(storage, "acme");

        var stored = (await storage.TokenSets.FindAsync(Account("acme"), CancellationToken.None))!;
        Assert.Equal((issued.AccessToken, issued.RefreshToken, issued.ExpiresAt, issued.TokenType), (stored.AccessToken, stored.RefreshToken, stored.ExpiresAt, stored.TokenType));
        Assert.Equal(Scopes, stored.Scopes);
        var stamp = (await storage.Access.FindAccessStampAsync(Account("acme"), CancellationToken.None))!.Value;
        Assert.Equal((InstallationStatus.Active, stored.Version), (stamp.Status, stamp.TokenSetVersion));

        var refreshed = await storage.TokenSets.SaveAsync(stored.Refreshed(Grant(), T0.AddHours(1)), CancellationToken.None);
        var reread = (await storage.TokenSets.FindAsync(Account("acme"), CancellationToken.None))!;
        Assert.Equal((refreshed.AccessToken, refreshed.RefreshToken, stored.Version + 1), (reread.AccessToken, reread.RefreshToken, reread.Version));
        Assert.Equal(refreshed.Version, reread.Version);
        Assert.Equal(reread.Version, (await storage.Access.FindAccessStampAsync(Account("acme"), CancellationToken.None))!.Value.TokenSetVersion);
        Assert.Null(await storage.Access.FindAccessStampAsync(Account("nobody"), CancellationToken.None));
    }

    /// <summary>A failed refresh is counted on the set read; the accounts due for a refresh are listed.</summary>
    [Fact]
    public async Task RefreshFailure_AndExpiringAccounts_RoundTrip()
    {
        await using var storage = await CreateStorageAsync();
        var tokens = await InstallAsync(storage, "acme");

        var health = await storage.TokenSets.RecordRefreshFailureAsync(tokens, "temporarily_unavailable", T0, retryAfter: null,
            new(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30)), CancellationToken.None);

        Assert.Equal((1, "temporarily_unavailable", T0.AddSeconds(30)), (health.ConsecutiveFailures, health.LastError, health.NextAttemptAt));
        Assert.Equal(health, await storage.TokenSets.FindRefreshHealthAsync(Account("acme"), CancellationToken.None));
        Assert.Equal(health, (await storage.TokenSets.ListRefreshHealthAsync(CancellationToken.None))[Account("acme")]);
        var later = tokens.ExpiresAt.AddMinutes(1);
        Assert.Equal(["acme"], (await storage.Access.ListExpiringAsync(later, later, 10, CancellationToken.None)).Select(a => a.Value));
        Assert.Empty(await storage.Access.ListExpiringAsync(T0, T0, 10, CancellationToken.None));
    }

    /// <summary>Every conditional write refuses a stale copy with <see cref="ConcurrencyException"/> and changes nothing.</summary>
    [Fact]
    public async Task StaleWrites_AreRefusedWithConcurrencyException_AndChangeNothing()
    {
        await using var storage = await CreateStorageAsync();
        var read = await InstallAsync(storage, "acme");
        var winner = (await storage.Installations.FindAsync(Account("acme"), CancellationToken.None))!;
        var stale = (await storage.Installations.FindAsync(Account("acme"), CancellationToken.None))!;
        var current = await storage.TokenSets.SaveAsync(read.Refreshed(Grant(), T0.AddHours(1)), CancellationToken.None);
        winner.Uninstall(T0.AddMinutes(1));
        await storage.Installations.SaveAsync(winner, CancellationToken.None);
        stale.Activate(Scopes, T0.AddMinutes(2));

        await Assert.ThrowsAsync<ConcurrencyException>(() => storage.Installations.SaveAsync(stale, CancellationToken.None));
        await Assert.ThrowsAsync<ConcurrencyException>(() =>
            storage.Installations.SaveAsync(Installation.Start(Account("acme"), T0), CancellationToken.None));
        await Assert.ThrowsAsync<ConcurrencyException>(() =>
            storage.Installs.RecordInstallAsync(stale, TokenSet.Issue(Account("acme"), Grant(), T0), CancellationToken.None));
        await Assert.ThrowsAsync<ConcurrencyException>(() =>
            storage.TokenSets.SaveAsync(read.Refreshed(Grant(), T0.AddHours(2)), CancellationToken.None));
        await Assert.ThrowsAsync<ConcurrencyException>(() => storage.TokenSets.RecordRefreshFailureAsync(read, "invalid_grant", T0,
            null, new(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30)), CancellationToken.None));

        var tokens = (await storage.TokenSets.FindAsync(Account("acme"), CancellationToken.None))!;
        Assert.Equal((current.AccessToken, current.Version), (tokens.AccessToken, tokens.Version));
        Assert.Equal(0, (await storage.TokenSets.FindRefreshHealthAsync(Account("acme"), CancellationToken.None))!.ConsecutiveFailures);
        Assert.Equal(InstallationStatus.Uninstalled, (await storage.Installations.FindAsync(Account("acme"), CancellationToken.None))!.Status);
    }

    /// <summary>Of 20 parallel consumers of one request exactly one records it; every later one is refused.</summary>
    [Fact]
    public async Task AuthorizationRequest_ConsumedByTwentyParallelCallers_IsTakenExactlyOnce()
    {
        await using var storage = await CreateStorageAsync();
        var request = Request("acme");

        var taken = await RunTogetherAsync(20, () => storage.AuthorizationRequests.TryConsumeAsync(request, CancellationToken.None));

        Assert.Single(taken, t => t);
        Assert.False(await storage.AuthorizationRequests.TryConsumeAsync(request, CancellationToken.None));
        Assert.True(await storage.AuthorizationRequests.TryConsumeAsync(Request("acme"), CancellationToken.None)); // another request
    }

    /// <summary>
    /// The purge forgets a used request once its expiry is reached (it is refused as expired from then on), and only then:
    /// one that has not expired stays recorded, so it stays refused.
    /// </summary>
    [Fact]
    public async Task AuthorizationRequest_PurgeExpired_ForgetsOnlyTheExpiredRecords()
    {
        await using var storage = await CreateStorageAsync();
        var early = Request("acme");
        var late = Request("acme", T0.AddMinutes(5));
        Assert.True(await storage.AuthorizationRequests.TryConsumeAsync(early, CancellationToken.None));
        Assert.True(await storage.AuthorizationRequests.TryConsumeAsync(late, CancellationToken.None));

        Assert.Equal(0, await storage.AuthorizationRequests.PurgeExpiredAsync(early.ExpiresAt.AddMilliseconds(-1), CancellationToken.None));
        Assert.Equal(1, await storage.AuthorizationRequests.PurgeExpiredAsync(early.ExpiresAt, CancellationToken.None));

        Assert.False(await storage.AuthorizationRequests.TryConsumeAsync(late, CancellationToken.None));
        Assert.True(await storage.AuthorizationRequests.TryConsumeAsync(early, CancellationToken.None)); // forgotten: the purge removed it
        Assert.Equal(2, await storage.AuthorizationRequests.PurgeExpiredAsync(late.ExpiresAt, CancellationToken.None));
    }

    /// <summary>An account name as the ports take it.</summary>
    protected static AccountName Account(string name) => AccountName.Parse(name);

    /// <summary>A grant with fresh random tokens.</summary>
    protected static TokenGrant Grant() => new(Secret("access"), Secret("refresh"), 3600, Scopes, "Bearer");

    /// <summary>Installs <paramref name="account"/> through the install transaction and returns its token set as stored.</summary>
    protected static async Task<TokenSet> InstallAsync(StorageUnderTest storage, string account, DateTimeOffset? at = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var now = at ?? T0;
        var installation = await storage.Installations.FindAsync(Account(account), CancellationToken.None) ?? Installation.Start(Account(account), now);
        installation.Activate(Scopes, now);
        var tokens = TokenSet.Issue(Account(account), Grant(), now);
        await storage.Installs.RecordInstallAsync(installation, tokens, CancellationToken.None);
        return (await storage.TokenSets.FindAsync(Account(account), CancellationToken.None))!;
    }

    private static AuthorizationRequest Request(string account, DateTimeOffset? at = null) =>
        AuthorizationRequest.Create(Account(account), Convert.ToBase64String(RandomNumberGenerator.GetBytes(33)).Replace('+', '-').Replace('/', '_'),
            Secret("nonce"), Secret("verifier") + Secret("verifier"), $"https://app.example.test/oauth/callback?account={account}",
            Convert.ToHexString(RandomNumberGenerator.GetBytes(32)), at ?? T0, AuthorizationRequest.DefaultLifetime);

    private static string Secret(string prefix) => $"{prefix}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(16))}";

    /// <summary>Runs <paramref name="count"/> calls on dedicated threads released by one signal, so they really overlap.</summary>
    private static async Task<T[]> RunTogetherAsync<T>(int count, Func<Task<T>> call)
    {
        using var start = new ManualResetEventSlim(false);
        var tasks = Enumerable.Range(0, count)
            .Select(_ => Task.Factory.StartNew(() =>
            {
                start.Wait();
                return call();
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap())
            .ToArray();
        start.Set();
        return await Task.WhenAll(tasks);
    }
}

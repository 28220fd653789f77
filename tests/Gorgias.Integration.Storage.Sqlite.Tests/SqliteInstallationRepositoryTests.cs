using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using static Gorgias.Integration.Storage.Sqlite.Tests.TestData;

namespace Gorgias.Integration.Storage.Sqlite.Tests;

public sealed class SqliteInstallationRepositoryTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Save_ThenFind_RoundTripsEveryField()
    {
        var store = _db.Open();
        var installation = Installation.Start(Account("acme"), T0);
        installation.Activate(Scopes, T0.AddMinutes(3));

        await store.Installations.SaveAsync(installation, CancellationToken.None);
        var found = await store.Installations.FindAsync(Account("acme"), CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal(Account("acme"), found.Account);
        Assert.Equal(InstallationStatus.Active, found.Status);
        Assert.Equal(Scopes, found.Scopes);
        Assert.Equal(T0, found.CreatedAt);
        Assert.Equal(T0.AddMinutes(3), found.UpdatedAt);
        Assert.Equal(T0.AddMinutes(3), found.ActivatedAt);
        Assert.Equal(1, found.Version);
        Assert.Empty(found.DomainEvents);
    }

    [Fact]
    public async Task Save_ThenFind_KeepsAPendingInstallationWithoutScopesOrActivation()
    {
        var store = _db.Open();
        await store.Installations.SaveAsync(Installation.Start(Account("acme"), T0), CancellationToken.None);

        var found = await store.Installations.FindAsync(Account("acme"), CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal(InstallationStatus.Pending, found.Status);
        Assert.Empty(found.Scopes);
        Assert.Null(found.ActivatedAt);
    }

    [Fact]
    public async Task Find_WhenAccountIsUnknown_ReturnsNull()
    {
        var store = _db.Open();
        await store.Installations.SaveAsync(Installation.Start(Account("acme"), T0), CancellationToken.None);

        Assert.Null(await store.Installations.FindAsync(Account("other"), CancellationToken.None));
    }

    [Fact]
    public async Task List_ReturnsAllInstallationsOrderedByAccount()
    {
        var store = _db.Open();
        foreach (var name in new[] { "zulu", "acme", "mike" })
        {
            await store.Installations.SaveAsync(Installation.Start(Account(name), T0), CancellationToken.None);
        }

        var all = await store.Installations.ListAsync(CancellationToken.None);

        Assert.Equal(["acme", "mike", "zulu"], all.Select(i => i.Account.Value));
    }

    [Fact]
    public async Task Save_OfALoadedInstallation_UpdatesItAndIncrementsTheVersion()
    {
        var store = _db.Open();
        await store.Installations.SaveAsync(Installation.Start(Account("acme"), T0), CancellationToken.None);
        var loaded = (await store.Installations.FindAsync(Account("acme"), CancellationToken.None))!;
        loaded.Activate(["read"], T0.AddMinutes(1));

        await store.Installations.SaveAsync(loaded, CancellationToken.None);

        var found = (await store.Installations.FindAsync(Account("acme"), CancellationToken.None))!;
        Assert.Equal(2, found.Version);
        Assert.Equal(InstallationStatus.Active, found.Status);
        Assert.Equal(["read"], found.Scopes);
        Assert.Equal(T0, found.CreatedAt);
    }

    [Fact]
    public async Task Save_WhenVersionIsStale_ThrowsConcurrencyExceptionAndKeepsTheFirstWrite()
    {
        var store = _db.Open();
        await store.Installations.SaveAsync(Installation.Start(Account("acme"), T0), CancellationToken.None);
        var first = (await store.Installations.FindAsync(Account("acme"), CancellationToken.None))!;
        var second = (await store.Installations.FindAsync(Account("acme"), CancellationToken.None))!;
        first.Activate(Scopes, T0.AddMinutes(1));
        second.Uninstall(T0.AddMinutes(2));

        await store.Installations.SaveAsync(first, CancellationToken.None);
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.Installations.SaveAsync(second, CancellationToken.None));

        var stored = (await store.Installations.FindAsync(Account("acme"), CancellationToken.None))!;
        Assert.Equal(InstallationStatus.Active, stored.Status);
        Assert.Equal(2, stored.Version);
    }

    [Fact]
    public async Task Save_OfANewInstallationWhoseAccountExists_ThrowsConcurrencyException()
    {
        var store = _db.Open();
        await store.Installations.SaveAsync(Installation.Start(Account("acme"), T0), CancellationToken.None);

        await Assert.ThrowsAsync<ConcurrencyException>(() =>
            store.Installations.SaveAsync(Installation.Start(Account("acme"), T0.AddMinutes(1)), CancellationToken.None));

        var stored = (await store.Installations.FindAsync(Account("acme"), CancellationToken.None))!;
        Assert.Equal(T0, stored.CreatedAt);
    }

    [Fact]
    public async Task Save_WhenTwoWritersInsertTheSameNewAccountAtOnce_ExactlyOneThrowsConcurrencyException()
    {
        var store = _db.Open();
        await store.Database.EnsureMigratedAsync(CancellationToken.None);

        var outcomes = await RunConcurrentlyAsync(2, async i =>
        {
            try
            {
                await store.Installations.SaveAsync(Installation.Start(Account("acme"), T0.AddMilliseconds(i)), CancellationToken.None);
                return "saved";
            }
            catch (ConcurrencyException)
            {
                return "conflict";
            }
        });

        Assert.Equal(["conflict", "saved"], outcomes.Order());
        Assert.Single(await store.Installations.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task SaveWithTokens_StoresBothInOneGo()
    {
        var store = _db.Open();
        var (installation, tokens) = Installed(Account("acme"), T0);

        await store.Transactions.RecordInstallAsync(installation, tokens, CancellationToken.None);

        Assert.Equal(1, (await store.Installations.FindAsync(Account("acme"), CancellationToken.None))!.Version);
        Assert.Equal(tokens.AccessToken, (await store.Tokens.FindAsync(Account("acme"), CancellationToken.None))!.AccessToken);
    }

    [Fact]
    public async Task SaveWithTokens_OnReinstall_ReplacesTheTokenSetAndIncrementsItsVersion()
    {
        var store = _db.Open();
        await InstallAsync(store, Account("acme"), T0);
        var reinstalled = (await store.Installations.FindAsync(Account("acme"), CancellationToken.None))!;
        reinstalled.Activate(["read"], T0.AddDays(1));
        var newTokens = TokenSet.Issue(Account("acme"), Grant(), T0.AddDays(1));

        await store.Transactions.RecordInstallAsync(reinstalled, newTokens, CancellationToken.None);

        var stored = (await store.Tokens.FindAsync(Account("acme"), CancellationToken.None))!;
        Assert.Equal(newTokens.AccessToken, stored.AccessToken);
        Assert.Equal(newTokens.RefreshToken, stored.RefreshToken);
        Assert.Equal(2, stored.Version);
        Assert.Equal(2, (await store.Installations.FindAsync(Account("acme"), CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task SaveWithTokens_WhenInstallationVersionIsStale_StoresNeither()
    {
        var store = _db.Open();
        var original = await InstallAsync(store, Account("acme"), T0);
        var stale = (await store.Installations.FindAsync(Account("acme"), CancellationToken.None))!;
        var winner = (await store.Installations.FindAsync(Account("acme"), CancellationToken.None))!;
        winner.Uninstall(T0.AddMinutes(1));
        await store.Installations.SaveAsync(winner, CancellationToken.None);
        stale.Activate(Scopes, T0.AddMinutes(2));

        await Assert.ThrowsAsync<ConcurrencyException>(() =>
            store.Transactions.RecordInstallAsync(stale, TokenSet.Issue(Account("acme"), Grant(), T0.AddMinutes(2)), CancellationToken.None));

        var tokens = (await store.Tokens.FindAsync(Account("acme"), CancellationToken.None))!;
        Assert.Equal(original.AccessToken, tokens.AccessToken);
        Assert.Equal(1, tokens.Version);
        Assert.Equal(InstallationStatus.Uninstalled,
            (await store.Installations.FindAsync(Account("acme"), CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task SaveWithTokens_WhenTokensAreForAnotherAccount_IsRejectedAndStoresNothing()
    {
        var store = _db.Open();
        var (installation, _) = Installed(Account("acme"), T0);
        var (_, otherTokens) = Installed(Account("other"), T0);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.Transactions.RecordInstallAsync(installation, otherTokens, CancellationToken.None));

        Assert.Empty(await store.Installations.ListAsync(CancellationToken.None));
    }
}

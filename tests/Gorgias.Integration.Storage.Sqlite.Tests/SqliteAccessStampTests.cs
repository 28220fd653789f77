using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;
using static Gorgias.Integration.Storage.Sqlite.Tests.TestData;

namespace Gorgias.Integration.Storage.Sqlite.Tests;

/// <summary>What the token cache re-validates with, and the worker's listing of active installations only.</summary>
public sealed class SqliteAccessStampTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task AccessStamp_ForAnUnknownAccount_IsNull()
    {
        var store = _db.Open();

        Assert.Null(await store.Access.FindAccessStampAsync(Account("acme"), CancellationToken.None));
    }

    [Fact]
    public async Task AccessStamp_ChangesWithARefresh_AndWithALossOfAccess()
    {
        var store = _db.Open();
        await InstallAsync(store, Account("acme"), T0);

        var installed = await store.Access.FindAccessStampAsync(Account("acme"), CancellationToken.None);
        var stored = (await store.Tokens.FindAsync(Account("acme"), CancellationToken.None))!;
        await store.Tokens.SaveAsync(stored.Refreshed(Grant(refreshToken: null), T0.AddHours(1)), CancellationToken.None);
        var refreshed = await store.Access.FindAccessStampAsync(Account("acme"), CancellationToken.None);
        var installation = (await store.Installations.FindAsync(Account("acme"), CancellationToken.None))!;
        installation.RequireReauthorization("invalid_grant", T0.AddHours(2));
        await store.Installations.SaveAsync(installation, CancellationToken.None);
        var lost = await store.Access.FindAccessStampAsync(Account("acme"), CancellationToken.None);

        Assert.Equal(new AccessStamp(InstallationStatus.Active, 1, 1), installed);
        Assert.Equal(new AccessStamp(InstallationStatus.Active, 1, 2), refreshed);
        Assert.Equal(new AccessStamp(InstallationStatus.ReauthorizationRequired, 2, 2), lost);
    }

    [Fact]
    public async Task ListExpiring_LeavesOutInstallationsThatAreNotActive()
    {
        var store = _db.Open();
        await InstallAsync(store, Account("lost"), T0, expiresAt: T0.AddMinutes(1));
        await InstallAsync(store, Account("acme"), T0, expiresAt: T0.AddMinutes(10));
        var lost = (await store.Installations.FindAsync(Account("lost"), CancellationToken.None))!;
        lost.RequireReauthorization("invalid_grant", T0);
        await store.Installations.SaveAsync(lost, CancellationToken.None);

        var expiring = await store.Access.ListExpiringAsync(T0.AddHours(1), T0.AddHours(1), 1, CancellationToken.None);

        Assert.Equal(["acme"], expiring.Select(a => a.Value));
    }
}

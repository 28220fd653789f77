using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Installations.BeginInstall;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Gorgias.Integration.Application.Tests;

/// <summary>
/// Gorgias:MaxPendingAuthorizations (SECURITY.md row 37) through the core: BeginInstall reads only the cheap stored count
/// below the cap, and at the cap purges expired flows before deciding on the exact pending count.
/// </summary>
public sealed class PendingInstallCapTests
{
    [Fact]
    public async Task BeginInstall_AtTheCap_IsRefused_UntilPendingFlowsExpire()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        using var storage = new SharedStorage();
        await using var core = IntegrationCore.Create(sandbox, storage, time, settings: new Dictionary<string, string?>
        {
            ["Gorgias:MaxPendingAuthorizations"] = "2",
            ["Gorgias:AuthorizationLifetime"] = "00:10:00",
        });

        Assert.True((await core.SendAsync(new BeginInstallCommand("acme", "browser-1"))).IsSuccess);
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.True((await core.SendAsync(new BeginInstallCommand("globex", "browser-2"))).IsSuccess);

        var refused = await core.SendAsync(new BeginInstallCommand("initech", "browser-3"));
        Assert.Equal(ErrorKind.TooManyPendingAuthorizations, refused.Error?.Kind);

        // The first flow expires: it is purged and stops counting; the stored count drops with it.
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.True((await core.SendAsync(new BeginInstallCommand("initech", "browser-3"))).IsSuccess);
        Assert.Equal(2, await storage.ScalarAsync<long>("SELECT COUNT(*) FROM authorization_requests"));
        Assert.Equal(ErrorKind.TooManyPendingAuthorizations, (await core.SendAsync(new BeginInstallCommand("umbrella", "browser-4"))).Error?.Kind);
    }
}

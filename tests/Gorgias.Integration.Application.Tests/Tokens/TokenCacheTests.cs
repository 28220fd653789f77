using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Installations.RefreshToken;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Application.Tokens;
using Microsoft.Extensions.DependencyInjection;
using static Gorgias.Integration.Application.Tests.Tokens.TokenTestKit;

namespace Gorgias.Integration.Application.Tests.Tokens;

/// <summary>The in-memory token cache: the hot path touches neither SQLite nor Data Protection, and re-validates on time.</summary>
public sealed class TokenCacheTests
{
    private static readonly TimeSpan Revalidation = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AfterTheFirstCall_ThousandCallsReadNoSqlite_UntilTheRevalidationPeriodHasPassed()
    {
        await using var setup = await InstalledCore.StartAsync();
        var (time, _, storage, core) = setup;
        var token = await core.AccessTokenAsync("acme");

        // Behind the cache's back: were any call to read the store, it would find nothing.
        await ExecuteRawAsync(storage, "DELETE FROM token_sets WHERE account = 'acme';");
        var provider = core.Provider();
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(token, ServedSynchronously(provider.GetAccessTokenAsync(Acme)).Value);
        }

        time.Advance(Revalidation - TimeSpan.FromSeconds(1));
        Assert.Equal(token, await core.AccessTokenAsync("acme"));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ErrorKind.NotFound, (await core.AccessFailsAsync("acme")).Error.Kind);
    }

    [Fact]
    public async Task TheHotPath_EndsAtTheRefreshMargin_WhenThatComesBeforeRevalidation()
    {
        // A 40 s token: the margin is capped at half its lifetime, so it is due for refresh after 20 s, before the 30 s
        // re-validation. The entry's first deadline is the margin's.
        await using var setup = await InstalledCore.StartAsync(sandbox: o => o.AccessTokenLifetime = TimeSpan.FromSeconds(40));
        var (time, _, storage, core) = setup;
        var token = await core.AccessTokenAsync("acme");
        await ExecuteRawAsync(storage, "DELETE FROM token_sets WHERE account = 'acme';");

        time.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal(token, ServedSynchronously(core.Provider().GetAccessTokenAsync(Acme)).Value);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ErrorKind.NotFound, (await core.AccessFailsAsync("acme")).Error.Kind);
    }

    [Fact]
    public async Task TheHotPath_AllocatesNothing()
    {
        await using var setup = await InstalledCore.StartAsync();
        var (_, _, _, core) = setup;
        await core.AccessTokenAsync("acme");
        var provider = core.Provider();
        for (var i = 0; i < 100; i++)
        {
            ServedSynchronously(provider.GetAccessTokenAsync(Acme));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            ServedSynchronously(provider.GetAccessTokenAsync(Acme));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public async Task AnotherProcessRefresh_IsSeenWithinTheRevalidationPeriod_WithoutASecondRefresh()
    {
        await using var setup = await InstalledCore.StartAsync();
        var (time, sandbox, storage, first) = setup;
        await using var second = IntegrationCore.Create(sandbox, storage, time);
        var old = await first.AccessTokenAsync("acme");

        var renewed = await second.SendAsync(new RefreshTokenCommand("acme"));
        Assert.True(renewed.IsSuccess);
        var stored = (await second.StoredTokensAsync("acme"))!.AccessToken;

        Assert.Equal(old, await first.AccessTokenAsync("acme"));
        time.Advance(Revalidation);
        Assert.Equal(stored, await first.AccessTokenAsync("acme"));
        Assert.Equal(1, sandbox.Monitor.TokenRequestsFor("refresh_token"));
    }

    [Fact]
    public async Task Invalidate_DropsTheEntryAtOnce_SoAnUninstallInThisProcessIsSeenOnTheNextCall()
    {
        await using var setup = await InstalledCore.StartAsync();
        var (_, sandbox, storage, core) = setup;
        await core.AccessTokenAsync("acme");

        // What the uninstall feature does: change the store, then drop the cached tokens.
        await ExecuteRawAsync(storage, "DELETE FROM token_sets WHERE account = 'acme'; UPDATE installations SET status = 3, version = version + 1 WHERE account = 'acme';");
        core.Services.GetRequiredService<AccessTokenCache>().Invalidate(Acme);

        var failure = await core.AccessFailsAsync("acme");
        Assert.Equal(ErrorKind.ReauthorizationRequired, failure.Error.Kind);
        Assert.Equal("uninstalled", failure.Error.Code);
        Assert.Equal(0, sandbox.Monitor.TokenRequestsFor("refresh_token"));
    }

    /// <summary>The hot path's promise: a ValueTask already completed with the token, nothing to await.</summary>
    private static GorgiasAccessToken ServedSynchronously(ValueTask<GorgiasAccessToken> call)
    {
        Assert.True(call.IsCompletedSuccessfully);
        return call.Result;
    }
}

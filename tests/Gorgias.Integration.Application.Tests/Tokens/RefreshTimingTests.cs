using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Installations.RefreshToken;
using Gorgias.Integration.Application.Installations.Uninstall;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Gorgias;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Gorgias.Integration.Application.Tests.Tokens.TokenTestKit;

namespace Gorgias.Integration.Application.Tests.Tokens;

/// <summary>
/// SECURITY.md rows 40–42: a refresh in flight across an uninstall and re-install, short-lived tokens, and the waits
/// after a failed refresh (explicit versus automatic).
/// </summary>
public sealed class RefreshTimingTests
{
    [Fact]
    public async Task Row40_ARefreshAnsweredBeforeAnUninstallAndReinstall_IsNotStoredOverTheReinstallsTokens()
    {
        var time = NewClock();
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        using var storage = new SharedStorage();
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var core = IntegrationCore.Create(sandbox, storage, time, services =>
            services.AddSingleton<IGorgiasAuthorizationServer>(provider => new InterleavingAuthorizationServer(
                ActivatorUtilities.CreateInstance<RefitGorgiasAuthorizationServer>(provider),
                beforeFirstRefresh: null,
                afterFirstRefresh: async () =>
                {
                    answered.TrySetResult();
                    await release.Task;
                })));
        var installed = await core.InstallAsync("acme");
        var first = (await core.StoredTokensAsync("acme"))!;

        // Gorgias answers the refresh of the first install's token; the answer is held while the account is
        // uninstalled (that token is revoked) and installed again.
        time.SetUtcNow(installed.AccessTokenExpiresAt - TimeSpan.FromMinutes(1));
        var inFlight = core.AccessTokenAsync("acme");
        await answered.Task;
        Assert.True((await core.SendAsync(new UninstallCommand("acme"))).Value!.Revoked);
        await core.InstallAsync("acme");
        var reinstalled = (await core.StoredTokensAsync("acme"))!;
        release.SetResult();
        var served = await inFlight;

        var stored = (await core.StoredTokensAsync("acme"))!;
        Assert.NotEqual(first.RefreshToken, reinstalled.RefreshToken);
        Assert.Equal(reinstalled.RefreshToken, stored.RefreshToken);
        Assert.Equal(reinstalled.AccessToken, served);
        Assert.True(stored.Version > first.Version, $"version {stored.Version} repeats the first install's {first.Version}");

        // The re-install's refresh token is the live one: the next refresh works and the installation stays Active.
        var next = await core.SendAsync(new RefreshTokenCommand("acme"));
        Assert.True(next.IsSuccess, next.Error?.Message);
        Assert.Equal(InstallationStatus.Active, await core.StatusAsync("acme"));
    }

    [Fact]
    public async Task Row41_TwentySecondTokens_AreServedForHalfTheirLife_ThenOneCallMakesExactlyOneRefresh()
    {
        var time = NewClock();
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time,
            o => o.AccessTokenLifetime = TimeSpan.FromSeconds(20));
        using var storage = new SharedStorage();
        await using var core = IntegrationCore.Create(sandbox, storage, time);
        await core.InstallAsync("acme");
        var issued = (await core.StoredTokensAsync("acme"))!;
        Assert.Equal(TimeSpan.FromSeconds(20), issued.ExpiresAt - issued.IssuedAt);

        // Default margin (5 min) is longer than the whole token: the margin used is half its life, 10 s.
        for (var call = 0; call < 8; call++)
        {
            Assert.Equal(issued.AccessToken, await core.AccessTokenAsync("acme"));
            time.Advance(TimeSpan.FromMilliseconds(625));
        }

        Assert.Equal(0, sandbox.Monitor.TokenRequestsFor("refresh_token"));

        time.SetUtcNow(issued.IssuedAt + TimeSpan.FromSeconds(11));
        var renewed = await core.AccessTokenAsync("acme");

        Assert.NotEqual(issued.AccessToken, renewed);
        Assert.Equal(1, sandbox.Monitor.TokenRequestsFor("refresh_token"));
        Assert.Equal(renewed, await core.AccessTokenAsync("acme"));
        Assert.Equal(1, sandbox.Monitor.TokenRequestsFor("refresh_token"));
    }

    [Fact]
    public async Task Row42_AnExplicitRefresh_AfterA503WithoutRetryAfter_ReachesGorgiasAgainAtOnce()
    {
        var time = NewClock();
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        await using var standIn = (await ScriptableGorgias.StartAsync()).On("POST", "/oauth/token", ScriptedAnswer.Empty(503));
        using var storage = new SharedStorage();
        await using var installer = IntegrationCore.Create(sandbox, storage, time);
        await installer.InstallAsync("acme");
        await using var core = IntegrationCore.Create(sandbox, storage, time,
            settings: new Dictionary<string, string?> { ["Gorgias:BaseUrlTemplate"] = standIn.BaseUrlTemplate });

        var first = await core.SendAsync(new RefreshTokenCommand("acme"));
        var second = await core.SendAsync(new RefreshTokenCommand("acme"));

        Assert.Equal(ErrorKind.GorgiasUnavailable, first.Error!.Kind);
        Assert.Equal(ErrorKind.GorgiasUnavailable, second.Error!.Kind);
        Assert.Equal(2, standIn.TokenRequests); // the operator's second try asked Gorgias, no 30 s cooldown
    }

    [Fact]
    public async Task Row42_AutomaticRefresh_AfterA503WithoutRetryAfter_WaitsAShortJitteredStep_ThatDoubles()
    {
        var time = NewClock();
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        await using var standIn = (await ScriptableGorgias.StartAsync()).On("POST", "/oauth/token", ScriptedAnswer.Empty(503));
        using var storage = new SharedStorage();
        await using var installer = IntegrationCore.Create(sandbox, storage, time);
        var installed = await installer.InstallAsync("acme");
        await using var core = IntegrationCore.Create(sandbox, storage, time,
            settings: new Dictionary<string, string?> { ["Gorgias:BaseUrlTemplate"] = standIn.BaseUrlTemplate });
        var issued = (await core.StoredTokensAsync("acme"))!;
        time.SetUtcNow(installed.AccessTokenExpiresAt - TimeSpan.FromMinutes(1));

        // Each failure leaves the still-valid token served; the next automatic try waits [1, 2) s, then [2, 4) s.
        var failedAt = time.GetUtcNow();
        Assert.Equal(issued.AccessToken, await core.AccessTokenAsync("acme"));
        Assert.Equal(1, standIn.TokenRequests);

        time.SetUtcNow(failedAt + TimeSpan.FromMilliseconds(990));
        Assert.Equal(issued.AccessToken, await core.AccessTokenAsync("acme"));
        Assert.Equal(1, standIn.TokenRequests);

        time.SetUtcNow(failedAt + TimeSpan.FromSeconds(2));
        Assert.Equal(issued.AccessToken, await core.AccessTokenAsync("acme"));
        Assert.Equal(2, standIn.TokenRequests);

        failedAt = time.GetUtcNow();
        time.SetUtcNow(failedAt + TimeSpan.FromMilliseconds(1990));
        Assert.Equal(issued.AccessToken, await core.AccessTokenAsync("acme"));
        Assert.Equal(2, standIn.TokenRequests);

        time.SetUtcNow(failedAt + TimeSpan.FromSeconds(4));
        Assert.Equal(issued.AccessToken, await core.AccessTokenAsync("acme"));
        Assert.Equal(3, standIn.TokenRequests);
    }
}

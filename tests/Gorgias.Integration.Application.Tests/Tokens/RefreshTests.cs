using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Installations.RefreshToken;
using Gorgias.Integration.Application.Notifications;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Domain.Installations;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using static Gorgias.Integration.Application.Tests.Tokens.TokenTestKit;

namespace Gorgias.Integration.Application.Tests.Tokens;

/// <summary>The access token provider and the RefreshToken command against the sandbox, on one core (one process).</summary>
public sealed class RefreshTests
{
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task GetAccessToken_BeforeTheRefreshMargin_DoesNotRefresh_AndOnceInsideItRefreshesExactlyOnce()
    {
        var refreshed = new RecordingHandler<AccessTokenRefreshedNotification>();
        await using var setup = await InstalledCore.StartAsync(services: services => services.AddSingleton<INotificationHandler<AccessTokenRefreshedNotification>>(refreshed));
        var (time, sandbox, _, core) = setup;
        var installed = setup.Installed;
        var issued = setup.Issued;

        time.SetUtcNow(installed.AccessTokenExpiresAt - Margin - TimeSpan.FromSeconds(1));
        var before = await core.AccessTokenAsync("acme");

        Assert.Equal(issued.AccessToken, before);
        Assert.Equal(0, sandbox.Monitor.TokenRequestsFor("refresh_token"));

        time.Advance(TimeSpan.FromSeconds(2));
        var first = await core.AccessTokenAsync("acme");
        var second = await core.AccessTokenAsync("acme");

        Assert.NotEqual(issued.AccessToken, first);
        Assert.Equal(first, second);
        Assert.Equal(1, sandbox.Monitor.TokenRequestsFor("refresh_token"));
        Assert.Equal(first, (await core.StoredTokensAsync("acme"))!.AccessToken);
        var notification = Assert.Single(refreshed.Received);
        Assert.Equal("acme", notification.Account.Value);
        Assert.False(notification.RefreshTokenRotated);
        Assert.Equal(time.GetUtcNow().AddHours(24), notification.ExpiresAt);
    }

    [Fact]
    public async Task Row34_TwoHundredConcurrentCallersAtExpiry_ShareOneRefresh_AndAllGetTheNewToken()
    {
        await using var setup = await InstalledCore.StartAsync();
        var (time, sandbox, _, core) = setup;
        var installed = setup.Installed;
        var old = await core.AccessTokenAsync("acme");
        time.SetUtcNow(installed.AccessTokenExpiresAt);

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var provider = core.Provider();
        var callers = Enumerable.Range(0, 200).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return (await provider.GetAccessTokenAsync(Acme)).Value;
        })).ToArray();
        start.SetResult();
        var tokens = await Task.WhenAll(callers);

        Assert.Equal(1, sandbox.Monitor.TokenRequestsFor("refresh_token"));
        var token = Assert.Single(tokens.Distinct());
        Assert.NotEqual(old, token);
        Assert.Equal(token, (await core.StoredTokensAsync("acme"))!.AccessToken);
    }

    [Fact]
    public async Task Row34_ACallerThatGivesUp_DoesNotCancelTheSharedRefresh()
    {
        await using var setup = await InstalledCore.StartAsync();
        var (time, sandbox, _, core) = setup;
        var installed = setup.Installed;
        time.SetUtcNow(installed.AccessTokenExpiresAt);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await core.Provider().GetAccessTokenAsync(Acme, cancelled.Token));
        var token = await core.AccessTokenAsync("acme");

        Assert.Equal(token, (await core.StoredTokensAsync("acme"))!.AccessToken);
        Assert.Equal(1, sandbox.Monitor.TokenRequestsFor("refresh_token"));
    }

    [Fact]
    public async Task Row24_ARotatedRefreshToken_IsStoredWithItsAccessToken_AndTheNextRefreshUsesIt()
    {
        var refreshed = new RecordingHandler<AccessTokenRefreshedNotification>();
        await using var setup = await InstalledCore.StartAsync(services: services => services.AddSingleton<INotificationHandler<AccessTokenRefreshedNotification>>(refreshed), sandbox: o => o.RotateRefreshTokens = true);
        var (time, sandbox, _, core) = setup;
        var installed = setup.Installed;
        var issued = setup.Issued;

        time.SetUtcNow(installed.AccessTokenExpiresAt);
        var token = await core.AccessTokenAsync("acme");
        var stored = (await core.StoredTokensAsync("acme"))!;

        Assert.Equal(issued.RefreshToken, sandbox.Monitor.LastTokenRequest["refresh_token"]);
        Assert.Equal(token, stored.AccessToken);
        Assert.NotEqual(issued.RefreshToken, stored.RefreshToken);
        Assert.Equal(issued.Version + 1, stored.Version);
        Assert.True(Assert.Single(refreshed.Received).RefreshTokenRotated);

        time.Advance(TimeSpan.FromHours(24));
        var next = await core.AccessTokenAsync("acme");

        Assert.Equal(stored.RefreshToken, sandbox.Monitor.LastTokenRequest["refresh_token"]);
        Assert.NotEqual(token, next);
        Assert.Equal(InstallationStatus.Active, await core.StatusAsync("acme"));
    }

    [Fact]
    public async Task Row24_WithoutRotation_TheOldRefreshTokenIsKept_AndStillRefreshesNextTime()
    {
        await using var setup = await InstalledCore.StartAsync();
        var (time, sandbox, _, core) = setup;
        var installed = setup.Installed;
        var issued = setup.Issued;

        time.SetUtcNow(installed.AccessTokenExpiresAt);
        var token = await core.AccessTokenAsync("acme");
        var stored = (await core.StoredTokensAsync("acme"))!;

        Assert.Equal(token, stored.AccessToken);
        Assert.Equal(issued.RefreshToken, stored.RefreshToken);

        time.Advance(TimeSpan.FromHours(24));
        var next = await core.AccessTokenAsync("acme");

        Assert.NotEqual(token, next);
        Assert.Equal(2, sandbox.Monitor.TokenRequestsFor("refresh_token"));
        Assert.Equal(issued.RefreshToken, (await core.StoredTokensAsync("acme"))!.RefreshToken);
    }

    [Fact]
    public async Task Row25_InvalidGrant_MakesThatInstallationReauthorizationRequired_NotifiesTheHost_AndLeavesOthersAlone()
    {
        var accessLost = new RecordingHandler<AccessLostNotification>();
        await using var setup = await InstalledCore.StartAsync(services: services => services.AddSingleton<INotificationHandler<AccessLostNotification>>(accessLost));
        var (time, sandbox, storage, core) = setup;
        var installed = setup.Installed;
        await core.InstallAsync("globex");
        var globexBefore = await core.AccessTokenAsync("globex");
        var acmeRefreshToken = (await core.StoredTokensAsync("acme"))!.RefreshToken;
        await RevokeAtSandboxAsync(sandbox, "acme", acmeRefreshToken);

        time.SetUtcNow(installed.AccessTokenExpiresAt);
        var failure = await core.AccessFailsAsync("acme");

        Assert.Equal(ErrorKind.ReauthorizationRequired, failure.Error.Kind);
        Assert.Equal(InstallationStatus.ReauthorizationRequired, await core.StatusAsync("acme"));
        var lost = Assert.Single(accessLost.Received);
        Assert.Equal(("acme", "invalid_grant"), (lost.Account.Value, lost.Reason));
        Assert.DoesNotContain(storage.Logs, line => line.Contains(acmeRefreshToken, StringComparison.Ordinal));

        var globex = await core.AccessTokenAsync("globex");
        Assert.NotEqual(globexBefore, globex);
        Assert.Equal(InstallationStatus.Active, await core.StatusAsync("globex"));

        // Once lost, Gorgias is not asked again: not by the provider, not by the command.
        var requests = sandbox.Monitor.TokenRequestsFor("refresh_token");
        Assert.Equal(ErrorKind.ReauthorizationRequired, (await core.AccessFailsAsync("acme")).Error.Kind);
        var command = await core.SendAsync(new RefreshTokenCommand("acme"));
        Assert.Equal(ErrorKind.ReauthorizationRequired, command.Error!.Kind);
        Assert.Equal(requests, sandbox.Monitor.TokenRequestsFor("refresh_token"));
        Assert.Single(accessLost.Received);
    }

    [Fact]
    public async Task GetAccessToken_ForAnAccountNeverInstalled_IsNotFound_WithoutCallingGorgias()
    {
        await using var setup = await InstalledCore.StartAsync(account: null);
        var (_, sandbox, _, core) = setup;

        var failure = await core.AccessFailsAsync("acme");
        var command = await core.SendAsync(new RefreshTokenCommand("acme"));

        Assert.Equal(ErrorKind.NotFound, failure.Error.Kind);
        Assert.Equal(ErrorKind.NotFound, command.Error!.Kind);
        Assert.Equal(0, sandbox.Monitor.TokenRequests);
    }

    [Fact]
    public async Task RefreshTokenCommand_RenewsNow_EvenFarFromExpiry_AndTheProviderServesTheNewToken()
    {
        await using var setup = await InstalledCore.StartAsync();
        var (time, sandbox, _, core) = setup;
        var old = await core.AccessTokenAsync("acme");
        time.Advance(TimeSpan.FromHours(1));

        var result = await core.SendAsync(new RefreshTokenCommand("acme"));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(time.GetUtcNow().AddHours(24), result.Value.AccessTokenExpiresAt);
        Assert.Equal(1, sandbox.Monitor.TokenRequestsFor("refresh_token"));
        var current = await core.AccessTokenAsync("acme");
        Assert.NotEqual(old, current);
        Assert.Equal(current, (await core.StoredTokensAsync("acme"))!.AccessToken);
    }

    [Fact]
    public async Task RefreshTokenCommand_WithAMalformedAccount_IsRejectedByValidation()
    {
        await using var setup = await InstalledCore.StartAsync(account: null);
        var (_, sandbox, _, core) = setup;

        Assert.Equal(["account"], (await core.SendAsync(new RefreshTokenCommand("acme.evil.com"))).Error?.Fields);
        Assert.Equal(0, sandbox.Monitor.TokenRequests);
    }

    [Fact]
    public async Task RefreshAfterRejection_WhenTheTokenWasAlreadyReplaced_ReturnsTheNewOneWithoutASecondRefresh()
    {
        await using var setup = await InstalledCore.StartAsync();
        var (_, sandbox, _, core) = setup;
        var rejected = await core.AccessTokenAsync("acme");

        var first = await core.Provider().RefreshAfterRejectionAsync(Acme, rejected);
        var second = await core.Provider().RefreshAfterRejectionAsync(Acme, rejected);

        Assert.NotEqual(rejected, first.Value);
        Assert.Equal(first, second);
        Assert.Equal(1, sandbox.Monitor.TokenRequestsFor("refresh_token"));
    }
}

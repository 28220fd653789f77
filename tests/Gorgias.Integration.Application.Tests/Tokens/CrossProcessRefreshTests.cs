using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Installations.RefreshToken;
using Gorgias.Integration.Application.Notifications;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Gorgias;
using Gorgias.Integration.Testing;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Gorgias.Integration.Application.Tests.Tokens.TokenTestKit;

namespace Gorgias.Integration.Application.Tests.Tokens;

/// <summary>Two IntegrationCores on one SharedStorage: two processes sharing one SQLite database (SECURITY.md row 35).</summary>
public sealed class CrossProcessRefreshTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Row35_TwoProcessesRacingAtExpiry_EndWithOneValidStoredTokenSet_ThatStillRefreshes(bool rotateRefreshTokens)
    {
        var time = NewClock();
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time, o => o.RotateRefreshTokens = rotateRefreshTokens);
        using var storage = new SharedStorage();
        var accessLost = new RecordingHandler<AccessLostNotification>();
        await using var first = IntegrationCore.Create(sandbox, storage, time,
            services => services.AddSingleton<INotificationHandler<AccessLostNotification>>(accessLost));
        await using var second = IntegrationCore.Create(sandbox, storage, time,
            services => services.AddSingleton<INotificationHandler<AccessLostNotification>>(accessLost));
        var installed = await first.InstallAsync("acme");
        time.SetUtcNow(installed.AccessTokenExpiresAt);

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var callers = new[] { first, second }
            .SelectMany(core => Enumerable.Range(0, 25).Select(_ => Task.Run(async () =>
            {
                await start.Task;
                return await core.AccessTokenAsync("acme");
            })))
            .ToArray();
        start.SetResult();
        await Task.WhenAll(callers);

        await AssertConsistentAsync(sandbox, first, second, accessLost);
    }

    /// <summary>
    /// The loser read the old refresh token before the winner refreshed, and calls Gorgias after: with rotation it gets
    /// <c>invalid_grant</c> (the winner's refresh revoked that token); without, its save loses the optimistic race.
    /// Either way it must end up with the winner's tokens, and access must not be declared lost. The refresh lease
    /// (row 53) prevents this interleaving, so both run without it: the defence for a storage that has none.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Row35_TheSlowerProcess_UsesTheWinnersTokens_AndWithRotationItsInvalidGrantDoesNotLoseAccess(bool rotateRefreshTokens)
    {
        var time = NewClock();
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time, o => o.RotateRefreshTokens = rotateRefreshTokens);
        using var storage = new SharedStorage();
        var accessLost = new RecordingHandler<AccessLostNotification>();
        IntegrationCore? winner = null;
        await using var loser = IntegrationCore.Create(sandbox, storage, time, services =>
        {
            services.AddSingleton<INotificationHandler<AccessLostNotification>>(accessLost);
            services.AddSingleton<IRefreshLease>(new NoCrossProcessLease());
            services.AddSingleton<IGorgiasAuthorizationServer>(provider => new InterleavingAuthorizationServer(
                ActivatorUtilities.CreateInstance<RefitGorgiasAuthorizationServer>(provider),
                async () => await winner!.AccessTokenAsync("acme")));
        });
        await using var winnerCore = IntegrationCore.Create(sandbox, storage, time, services =>
        {
            services.AddSingleton<INotificationHandler<AccessLostNotification>>(accessLost);
            services.AddSingleton<IRefreshLease>(new NoCrossProcessLease());
        });
        winner = winnerCore;
        var installed = await winnerCore.InstallAsync("acme");
        time.SetUtcNow(installed.AccessTokenExpiresAt);

        var loserToken = await loser.AccessTokenAsync("acme");

        Assert.Equal(2, sandbox.Monitor.TokenRequestsFor("refresh_token"));
        Assert.Equal(await winnerCore.AccessTokenAsync("acme"), loserToken);
        var path = rotateRefreshTokens ? "but the store holds newer tokens" : "Another process stored a refreshed token";
        Assert.Contains(storage.Logs, line => line.Contains(path, StringComparison.Ordinal));
        await AssertConsistentAsync(sandbox, winnerCore, loser, accessLost);
    }

    [Fact]
    public async Task Row35_AProcessThatFindsAFreshTokenInTheStore_UsesItWithoutCallingGorgias()
    {
        var time = NewClock();
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        using var storage = new SharedStorage();
        await using var first = IntegrationCore.Create(sandbox, storage, time);
        await using var second = IntegrationCore.Create(sandbox, storage, time);
        var installed = await first.InstallAsync("acme");
        await second.AccessTokenAsync("acme");
        time.SetUtcNow(installed.AccessTokenExpiresAt);

        var refreshedByFirst = await first.AccessTokenAsync("acme");
        var seenBySecond = await second.AccessTokenAsync("acme");

        Assert.Equal(refreshedByFirst, seenBySecond);
        Assert.Equal(1, sandbox.Monitor.TokenRequestsFor("refresh_token"));
    }

    private static async Task AssertConsistentAsync(SandboxServer sandbox, IntegrationCore first, IntegrationCore second,
        RecordingHandler<AccessLostNotification> accessLost)
    {
        var stored = (await first.StoredTokensAsync("acme"))!;
        Assert.Equal(stored.AccessToken, await first.AccessTokenAsync("acme"));
        Assert.Equal(stored.AccessToken, await second.AccessTokenAsync("acme"));
        Assert.Equal(InstallationStatus.Active, await first.StatusAsync("acme"));
        Assert.Empty(accessLost.Received);
        Assert.True(stored.ExpiresAt > ((FakeTimeProvider)first.Services.GetRequiredService<TimeProvider>()).GetUtcNow().AddHours(23));

        // The stored refresh token is the live one: a refresh with it succeeds at the sandbox.
        var requests = sandbox.Monitor.TokenRequestsFor("refresh_token");
        var renewed = await second.SendAsync(new RefreshTokenCommand("acme"));
        Assert.True(renewed.IsSuccess, renewed.Error?.Message);
        Assert.Equal(requests + 1, sandbox.Monitor.TokenRequestsFor("refresh_token"));
        Assert.Equal(InstallationStatus.Active, await first.StatusAsync("acme"));
    }
}

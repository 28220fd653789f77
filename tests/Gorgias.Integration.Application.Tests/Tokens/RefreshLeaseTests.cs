using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Installations.RefreshToken;
using Gorgias.Integration.Application.Notifications;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Gorgias;
using Gorgias.Integration.Storage.Sqlite;
using Gorgias.Integration.Testing;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using static Gorgias.Integration.Application.Tests.Tokens.TokenTestKit;

namespace Gorgias.Integration.Application.Tests.Tokens;

/// <summary>
/// Two IntegrationCores on one SQLite file, against a sandbox that rotates refresh tokens and revokes the whole grant
/// when one is used twice (RFC 9700): the refresh lease must keep the second instance from ever sending the first's
/// refresh token again (SECURITY.md row 53).
/// </summary>
public sealed class RefreshLeaseTests
{
    public enum SecondCaller
    {
        TokenProvider,
        WorkerRenewal,
        ForcedRefresh,
    }

    [Theory]
    [InlineData(SecondCaller.TokenProvider)]
    [InlineData(SecondCaller.WorkerRenewal)]
    [InlineData(SecondCaller.ForcedRefresh)]
    public async Task Row53_AnInstanceRefreshingWhileAnotherHoldsTheLease_WaitsAndUsesItsTokens_SoGorgiasSeesOneRefresh(SecondCaller caller)
    {
        var time = NewClock();
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time, o =>
        {
            o.RotateRefreshTokens = true;
            o.RevokeGrantOnReuse = true;
        });
        using var storage = new SharedStorage();
        var accessLost = new RecordingHandler<AccessLostNotification>();
        ObservedLease secondLease = null!;
        await using var second = IntegrationCore.Create(sandbox, storage, time, services =>
        {
            services.AddSingleton<INotificationHandler<AccessLostNotification>>(accessLost);
            services.AddSingleton<IRefreshLease>(provider => secondLease = new ObservedLease(ActivatorUtilities.CreateInstance<SqliteRefreshLease>(provider)));
        });
        Task<string>? secondCall = null;
        await using var first = IntegrationCore.Create(sandbox, storage, time, services =>
        {
            services.AddSingleton<INotificationHandler<AccessLostNotification>>(accessLost);

            // While the first instance is at Gorgias (holding the lease), the second one needs a refresh too.
            services.AddSingleton<IGorgiasAuthorizationServer>(provider => new InterleavingAuthorizationServer(
                ActivatorUtilities.CreateInstance<RefitGorgiasAuthorizationServer>(provider),
                async () =>
                {
                    secondCall = Task.Run(() => CallAsync(second, caller));
                    await Task.WhenAny(secondLease.Requested, secondCall);
                }));
        });
        _ = second.Services.GetRequiredService<IRefreshLease>();
        var installed = await first.InstallAsync("acme");
        time.SetUtcNow(installed.AccessTokenExpiresAt);

        var firstToken = await first.AccessTokenAsync("acme");
        var secondToken = await secondCall!;

        Assert.Equal(1, sandbox.Monitor.TokenRequestsFor("refresh_token"));
        Assert.Equal(firstToken, secondToken);
        Assert.Equal(firstToken, (await first.StoredTokensAsync("acme"))!.AccessToken);
        Assert.Empty(accessLost.Received);
        Assert.Equal(InstallationStatus.Active, await second.StatusAsync("acme"));

        // The stored refresh token is the live end of the chain: the next refresh succeeds.
        var renewed = await second.SendAsync(new RefreshTokenCommand("acme"));
        Assert.True(renewed.IsSuccess, renewed.Error?.Message);
    }

    private static async Task<string> CallAsync(IntegrationCore core, SecondCaller caller)
    {
        if (caller == SecondCaller.TokenProvider)
        {
            return await core.AccessTokenAsync("acme");
        }

        var command = caller == SecondCaller.WorkerRenewal
            ? new RefreshTokenCommand("acme") { IfExpiringWithin = TimeSpan.FromMinutes(10) }
            : new RefreshTokenCommand("acme");
        var result = await core.SendAsync(command);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return (await core.StoredTokensAsync("acme"))!.AccessToken;
    }
}

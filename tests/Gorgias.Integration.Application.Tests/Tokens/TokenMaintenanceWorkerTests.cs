using Gorgias.Integration.Application.Installations.BeginInstall;
using Gorgias.Integration.Application.Installations.RetryRevocations;
using Gorgias.Integration.Application.Installations.RunMaintenance;
using Gorgias.Integration.Application.Installations.Uninstall;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Background;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static Gorgias.Integration.Application.Tests.Tokens.MaintenanceObserver;
using static Gorgias.Integration.Application.Tests.Tokens.TokenTestKit;

namespace Gorgias.Integration.Application.Tests.Tokens;

/// <summary>
/// The maintenance cycle (<see cref="RunMaintenanceCommand"/>, sent through the mediator) and the worker's timer that
/// sends it, composed with AddGorgiasBackgroundRefresh, against the sandbox.
/// </summary>
public sealed class TokenMaintenanceWorkerTests
{
    [Fact]
    public async Task Maintenance_RefreshesExactlyTheAccountsExpiringWithinTheWindow_AndContinuesAfterOneFails()
    {
        var time = NewClock();
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        using var storage = new SharedStorage();
        await using var core = IntegrationCore.Create(sandbox, storage, time, services => AddWorker(services, maxParallelism: 1));

        // Soonest expiry first: "broken" (revoked at Gorgias) is handled before "alpha", and must not stop it.
        await core.InstallAsync("broken");
        time.Advance(TimeSpan.FromMinutes(5));
        await core.InstallAsync("alpha");
        time.Advance(TimeSpan.FromHours(2));
        await core.InstallAsync("later");
        await RevokeAtSandboxAsync(sandbox, "broken", (await core.StoredTokensAsync("broken"))!.RefreshToken);
        var laterBefore = (await core.StoredTokensAsync("later"))!;

        // "broken" expires in 25 min, "alpha" in 30 min minus a second: both inside the 30-min window; "later" is not.
        time.SetUtcNow(TokenTestKit.T0.AddHours(24).AddMinutes(5).AddSeconds(1) - TimeSpan.FromMinutes(30));
        var report = await RunMaintenanceAsync(core);

        Assert.Equal((2, 1, 1), (report.Listed, report.Refreshed, report.Failed));
        Assert.Equal(new RetryPendingRevocationsResult(0, 0), report.Revocations); // nothing was queued for revocation
        Assert.Equal(2, sandbox.Monitor.TokenRequestsFor("refresh_token"));
        Assert.Equal(time.GetUtcNow().AddHours(24), (await core.StoredTokensAsync("alpha"))!.ExpiresAt);
        Assert.Equal(laterBefore.Version, (await core.StoredTokensAsync("later"))!.Version);
        Assert.Equal(InstallationStatus.ReauthorizationRequired, await core.StatusAsync("broken"));

        // Next cycle: alpha is fresh and broken is no longer Active; neither is listed, Gorgias is not called.
        var next = await RunMaintenanceAsync(core);
        Assert.Equal(0, next.Listed);
        Assert.Equal(2, sandbox.Monitor.TokenRequestsFor("refresh_token"));
    }

    [Fact]
    public async Task TheTimer_RunsACycleAtStart_AndAnotherWhenTheClockPassesTheInterval()
    {
        var time = NewClock();
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        using var storage = new SharedStorage();
        var cycles = new MaintenanceObserver();
        await using var core = IntegrationCore.Create(sandbox, storage, time, services =>
        {
            AddWorker(services, maxParallelism: 4);
            cycles.Register(services);
        });
        var installed = await core.InstallAsync("acme");
        var worker = core.Services.GetServices<IHostedService>().OfType<TokenMaintenanceWorker>().Single();

        // Inside the window before the start: the cycle run at start refreshes acme.
        time.SetUtcNow(installed.AccessTokenExpiresAt - TimeSpan.FromMinutes(21));
        await worker.StartAsync(CancellationToken.None);
        try
        {
            var first = await cycles.Completed(0).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal((1, 1), (first.Listed, first.Refreshed));
            Assert.Equal(1, sandbox.Monitor.TokenRequestsFor("refresh_token"));

            // The timer is driven by the fake clock: nothing before the interval, a cycle once it has passed.
            time.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromSeconds(1));
            Assert.False(cycles.Completed(1).IsCompleted);
            time.Advance(TimeSpan.FromSeconds(1));
            var second = await cycles.Completed(1).WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(0, second.Listed);
            Assert.Equal(1, sandbox.Monitor.TokenRequestsFor("refresh_token"));
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Row27_AFailedRevocation_IsRevokedAndWipedByTheWorkersNextDueCycle()
    {
        var time = NewClock();
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        await using var failing = await Maintenance.StartAsync();
        using var storage = new SharedStorage();
        await using var core = IntegrationCore.Create(sandbox, storage, time, services => AddWorker(services, maxParallelism: 1));
        await using var cutOff = IntegrationCore.Create(sandbox, storage, time, settings: new Dictionary<string, string?> { ["Gorgias:BaseUrlTemplate"] = failing.BaseUrlTemplate });
        await core.InstallAsync("acme");
        var refreshToken = (await core.StoredTokensAsync("acme"))!.RefreshToken;
        var uninstalled = await cutOff.SendAsync(new UninstallCommand("acme"));
        Assert.False(uninstalled.Value!.Revoked);

        var early = await RunMaintenanceAsync(core);
        time.Advance(TimeSpan.FromMinutes(2));
        var due = await RunMaintenanceAsync(core);

        Assert.Equal(new RetryPendingRevocationsResult(0, 0), early.Revocations);
        Assert.Equal(new RetryPendingRevocationsResult(1, 0), due.Revocations);
        Assert.Equal(1, sandbox.Monitor.Revocations);
        Assert.Equal(refreshToken, sandbox.Monitor.LastRevocationRequest["token"]);
        Assert.Equal(0L, await storage.ScalarAsync<long>("SELECT COUNT(*) FROM pending_revocations"));
    }

    [Fact]
    public async Task Row37_EachCycle_PurgesUsedAuthorizationsOnceTheyExpire()
    {
        var time = NewClock();
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        using var storage = new SharedStorage();
        await using var core = IntegrationCore.Create(sandbox, storage, time, services => AddWorker(services, maxParallelism: 1));
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await core.SendAsync(new BeginInstallCommand($"abandoned{i}", "browser"))).IsSuccess); // stores nothing
            await core.InstallAsync($"installed{i}");
        }

        Assert.Equal(3L, await storage.ScalarAsync<long>("SELECT COUNT(*) FROM used_authorization_requests"));
        var early = await RunMaintenanceAsync(core);
        time.Advance(TimeSpan.FromMinutes(10));
        var late = await RunMaintenanceAsync(core);

        Assert.Equal((0, 3), (early.PurgedAuthorizations, late.PurgedAuthorizations));
        Assert.Equal(0L, await storage.ScalarAsync<long>("SELECT COUNT(*) FROM used_authorization_requests"));
    }

    [Fact]
    public async Task Maintenance_WithAnUnboundedBatch_IsRefusedBeforeTouchingTheStore()
    {
        var time = NewClock();
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        using var storage = new SharedStorage();
        await using var core = IntegrationCore.Create(sandbox, storage, time, services => AddWorker(services, maxParallelism: 1));

        var refused = await Assert.ThrowsAsync<FluentValidation.ValidationException>(
            () => core.SendAsync(new RunMaintenanceCommand(TimeSpan.FromMinutes(30), BatchSize: 0, MaxParallelism: 1, TimeSpan.Zero)));

        Assert.Contains(refused.Errors, e => e.PropertyName == nameof(RunMaintenanceCommand.BatchSize));
    }

    private static void AddWorker(IServiceCollection services, int maxParallelism)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Integration:BackgroundRefresh:MaxJitter"] = "00:00:00",
            ["Integration:BackgroundRefresh:MaxParallelism"] = maxParallelism.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        services.AddGorgiasBackgroundRefresh(configuration);
    }
}

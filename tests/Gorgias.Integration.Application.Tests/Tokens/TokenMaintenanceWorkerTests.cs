using Gorgias.Integration.Application.Installations.BeginInstall;
using Gorgias.Integration.Application.Installations.RetryRevocations;
using Gorgias.Integration.Application.Installations.Uninstall;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Background;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Gorgias.Integration.Application.Tests.Tokens.TokenTestKit;

namespace Gorgias.Integration.Application.Tests.Tokens;

/// <summary>The background worker composed with AddGorgiasBackgroundRefresh, against the sandbox.</summary>
public sealed class TokenMaintenanceWorkerTests
{
    [Fact]
    public async Task RunOnce_RefreshesExactlyTheAccountsExpiringWithinTheWindow_AndContinuesAfterOneFails()
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
        var worker = core.Services.GetRequiredService<TokenMaintenanceWorker>();
        var report = await worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal((2, 1, 1), (report.Listed, report.Refreshed, report.Failed));
        Assert.Equal(new RetryPendingRevocationsResult(0, 0), report.Revocations); // nothing was queued for revocation
        Assert.Equal(2, sandbox.Monitor.TokenRequestsFor("refresh_token"));
        Assert.Equal(time.GetUtcNow().AddHours(24), (await core.StoredTokensAsync("alpha"))!.ExpiresAt);
        Assert.Equal(laterBefore.Version, (await core.StoredTokensAsync("later"))!.Version);
        Assert.Equal(InstallationStatus.ReauthorizationRequired, await core.StatusAsync("broken"));

        // Next cycle: alpha is fresh and broken is no longer Active; neither is listed, Gorgias is not called.
        var next = await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(0, next.Listed);
        Assert.Equal(2, sandbox.Monitor.TokenRequestsFor("refresh_token"));
    }

    [Fact]
    public async Task TheTimer_RunsACycleAtStart_AndAnotherWhenTheClockPassesTheInterval()
    {
        var time = NewClock();
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        using var storage = new SharedStorage();
        await using var core = IntegrationCore.Create(sandbox, storage, time, services => AddWorker(services, maxParallelism: 4));
        var installed = await core.InstallAsync("acme");
        var worker = core.Services.GetRequiredService<TokenMaintenanceWorker>();
        var cycles = new[]
        {
            new TaskCompletionSource<TokenMaintenanceReport>(TaskCreationOptions.RunContinuationsAsynchronously),
            new TaskCompletionSource<TokenMaintenanceReport>(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        var completed = 0;
        worker.CycleCompleted = report =>
        {
            var index = Interlocked.Increment(ref completed) - 1;
            if (index < cycles.Length)
            {
                cycles[index].TrySetResult(report);
            }
        };

        // Inside the window before the start: the cycle run at start refreshes acme.
        time.SetUtcNow(installed.AccessTokenExpiresAt - TimeSpan.FromMinutes(21));
        await worker.StartAsync(CancellationToken.None);
        try
        {
            var first = await cycles[0].Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal((1, 1), (first.Listed, first.Refreshed));
            Assert.Equal(1, sandbox.Monitor.TokenRequestsFor("refresh_token"));

            // The timer is driven by the fake clock: nothing before the interval, a cycle once it has passed.
            time.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromSeconds(1));
            Assert.False(cycles[1].Task.IsCompleted);
            time.Advance(TimeSpan.FromSeconds(1));
            var second = await cycles[1].Task.WaitAsync(TimeSpan.FromSeconds(30));

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
        var worker = core.Services.GetRequiredService<TokenMaintenanceWorker>();

        var early = await worker.RunOnceAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(2));
        var due = await worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal(new RetryPendingRevocationsResult(0, 0), early.Revocations);
        Assert.Equal(new RetryPendingRevocationsResult(1, 0), due.Revocations);
        Assert.Equal(1, sandbox.Monitor.Revocations);
        Assert.Equal(refreshToken, sandbox.Monitor.LastRevocationRequest["token"]);
        Assert.Equal(0L, await storage.ScalarAsync<long>("SELECT COUNT(*) FROM pending_revocations"));
    }

    [Fact]
    public async Task Row37_EachCycle_PurgesAbandonedInstallsOnceTheyExpire()
    {
        var time = NewClock();
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        using var storage = new SharedStorage();
        await using var core = IntegrationCore.Create(sandbox, storage, time, services => AddWorker(services, maxParallelism: 1));
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await core.SendAsync(new BeginInstallCommand($"abandoned{i}", "browser"))).IsSuccess);
        }

        var worker = core.Services.GetRequiredService<TokenMaintenanceWorker>();
        var early = await worker.RunOnceAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(10));
        var late = await worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal((0, 3), (early.PurgedAuthorizations, late.PurgedAuthorizations));
        Assert.Equal(0L, await storage.ScalarAsync<long>("SELECT COUNT(*) FROM authorization_requests"));
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

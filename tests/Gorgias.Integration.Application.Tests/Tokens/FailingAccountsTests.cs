using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Installations.GetInstallation;
using Gorgias.Integration.Application.Notifications;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Gorgias.Integration.Infrastructure.Background;
using Gorgias.Integration.Testing;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Gorgias.Integration.Application.Tests.Tokens.MaintenanceObserver;
using static Gorgias.Integration.Application.Tests.Tokens.TokenTestKit;

namespace Gorgias.Integration.Application.Tests.Tokens;

/// <summary>
/// SECURITY.md row 43: accounts whose refresh keeps failing (a deactivated account answers an HTML 404) are backed off
/// per account in the store, never crowd healthy accounts out of the worker's batch, show as RefreshFailing, and recover.
/// The token endpoint is a <see cref="ScriptableGorgias"/>; the installations are stored directly (500 consent flows would only be slow).
/// </summary>
public sealed class FailingAccountsTests
{
    [Fact]
    public async Task Row43_FiveHundredFailingAccounts_DoNotCrowdTheHealthyOneOutOfABatchOf500()
    {
        var time = NewClock();
        await using var standIn = (await ScriptableGorgias.StartAsync()).On("POST", "/oauth/token", request => request.Account == "healthy"
            ? ScriptedAnswer.Grant($"renewed-{Guid.NewGuid():N}", 3600)
            : ScriptedAnswer.DeactivatedAccount);
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        using var storage = new SharedStorage();
        await using var core = IntegrationCore.Create(sandbox, storage, time, services => AddWorker(services, batchSize: 500),
            new Dictionary<string, string?> { ["Gorgias:BaseUrlTemplate"] = standIn.BaseUrlTemplate });
        for (var i = 0; i < 500; i++)
        {
            await StoreInstallationAsync(core, $"dead{i:D3}", T0);
        }

        await StoreInstallationAsync(core, "healthy", T0.AddMinutes(10));

        // The dead accounts expire first and have been failing: one cycle while only they are inside the window.
        time.SetUtcNow(T0.AddMinutes(35));
        var failing = await RunMaintenanceAsync(core);
        Assert.Equal((500, 0, 500), (failing.Listed, failing.Refreshed, failing.Failed));

        // The first cycle in which the healthy account is due refreshes it, ahead of the dead ones.
        time.SetUtcNow(T0.AddMinutes(45));
        var cycle = await RunMaintenanceAsync(core);

        Assert.Contains("healthy", standIn.Requests.Select(r => r.Account));
        Assert.Equal(1, cycle.Refreshed);
        Assert.Equal(time.GetUtcNow().AddHours(1), (await core.StoredTokensAsync("healthy"))!.ExpiresAt);
    }

    [Fact]
    public async Task Row43_AFailingAccount_IsTriedFurtherApart_ShowsRefreshFailing_AndRecoversWithNotifications()
    {
        var time = NewClock();
        var deactivated = true;
        await using var standIn = (await ScriptableGorgias.StartAsync()).On("POST", "/oauth/token", _ => Volatile.Read(ref deactivated)
            ? ScriptedAnswer.DeactivatedAccount
            : ScriptedAnswer.Grant("renewed", 3600));
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        using var storage = new SharedStorage();
        var failingNotices = new RecordingHandler<RefreshFailingNotification>();
        var recoveredNotices = new RecordingHandler<RefreshRecoveredNotification>();
        await using var core = IntegrationCore.Create(sandbox, storage, time, services =>
        {
            AddWorker(services, batchSize: 500);
            services.AddSingleton<INotificationHandler<RefreshFailingNotification>>(failingNotices);
            services.AddSingleton<INotificationHandler<RefreshRecoveredNotification>>(recoveredNotices);
        }, new Dictionary<string, string?> { ["Gorgias:BaseUrlTemplate"] = standIn.BaseUrlTemplate });
        await StoreInstallationAsync(core, "acme", T0);

        // One cycle a minute for 40 minutes, as the worker's timer runs them.
        time.SetUtcNow(T0.AddMinutes(35));
        var attemptMinutes = new List<int>();
        for (var minute = 0; minute < 40; minute++)
        {
            var before = standIn.TokenRequests;
            await RunMaintenanceAsync(core);
            if (standIn.TokenRequests > before)
            {
                attemptMinutes.Add(minute);
            }

            time.Advance(TimeSpan.FromMinutes(1));
        }

        var gaps = attemptMinutes.Zip(attemptMinutes.Skip(1), (a, b) => b - a).ToArray();
        Assert.Equal([1, 2, 4, 8, 16], gaps);
        Assert.Equal(InstallationStatus.RefreshFailing, await core.StatusAsync("acme"));
        var notice = Assert.Single(failingNotices.Received);
        var view = (await core.SendAsync(new GetInstallationQuery("acme"))).Value!;
        Assert.Equal((InstallationStatus.RefreshFailing, 6, notice.LastError), (view.Status, view.ConsecutiveRefreshFailures, view.LastRefreshError));
        Assert.Equal("acme", notice.Account.Value);
        Assert.True(view.NextRefreshAttemptAt > time.GetUtcNow(), "the next attempt lies ahead");

        // The account works again: the next due attempt succeeds, and the installation is Active again.
        Volatile.Write(ref deactivated, false);
        time.SetUtcNow(view.NextRefreshAttemptAt!.Value);
        var recovered = await RunMaintenanceAsync(core);

        Assert.Equal(1, recovered.Refreshed);
        Assert.Equal(InstallationStatus.Active, await core.StatusAsync("acme"));
        Assert.Equal("acme", Assert.Single(recoveredNotices.Received).Account.Value);
        var healthy = (await core.SendAsync(new GetInstallationQuery("acme"))).Value!;
        Assert.Equal((0, null, null), (healthy.ConsecutiveRefreshFailures, healthy.LastRefreshError, healthy.NextRefreshAttemptAt));
    }

    /// <summary>An Active installation whose one-hour token was issued at <paramref name="issuedAt"/>.</summary>
    private static async Task StoreInstallationAsync(IntegrationCore core, string account, DateTimeOffset issuedAt)
    {
        var name = AccountName.Parse(account);
        var installation = Installation.Start(name, issuedAt);
        installation.Activate(["openid", "offline"], issuedAt);
        var tokens = TokenSet.Issue(name, new TokenGrant($"access-{account}", $"refresh-{account}", 3600, ["openid", "offline"], "Bearer"), issuedAt);
        await core.Services.GetRequiredService<IInstallRecorder>().RecordInstallAsync(installation, tokens, CancellationToken.None);
    }

    private static void AddWorker(IServiceCollection services, int batchSize)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Integration:BackgroundRefresh:MaxJitter"] = "00:00:00",
            ["Integration:BackgroundRefresh:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        services.AddGorgiasBackgroundRefresh(configuration);
    }
}

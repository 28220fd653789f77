using System.Text.Json;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Installations.GetGorgiasAccount;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Application.Tokens;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Gorgias.Api;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gorgias.Integration.Application.Tests.Api;

/// <summary>
/// The REST API client with the real access-token provider against the sandbox, after a real install. The app and
/// "Gorgias" have their own clocks, so a test can make Gorgias consider a token expired that the app still trusts.
/// </summary>
public sealed class GorgiasApiSandboxTests
{
    private static readonly AccountName Acme = AccountName.Parse("acme");

    [Fact]
    public async Task GetAccount_AfterInstall_ReturnsTheTypedAccountWithTheBearerToken()
    {
        await using var scenario = await Scenario.InstallAsync();

        var response = await scenario.Core.Services.GetRequiredService<IGorgiasApiFactory>().For(Acme).GetAccountAsync(CancellationToken.None);
        var result = await scenario.Core.SendAsync(new GetGorgiasAccountQuery("acme"));

        Assert.Equal("acme", response.Domain);
        Assert.Equal("active", response.Status?.Status);
        Assert.Equal(new DateTimeOffset(2017, 11, 23, 15, 59, 41, TimeSpan.Zero).AddTicks(9669270), response.CreatedDatetime);
        Assert.Null(response.DeactivatedDatetime);
        Assert.Equal(JsonValueKind.Array, response.Settings?.ValueKind);
        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(new GorgiasAccount("acme", "active", response.CreatedDatetime, null), result.Value);

        // The sandbox answers 200 only to a bearer JWT it issued for this account and that has not expired.
        Assert.Equal(2, scenario.Sandbox.Monitor.ApiCalls);
        Assert.Equal(0, scenario.Sandbox.Monitor.TokenRequestsFor("refresh_token"));
    }

    [Fact]
    public async Task Row23_GetAccount_WhenGorgiasRejectsATokenTheAppStillTrusts_RefreshesOnceAndRetriesOnce()
    {
        await using var scenario = await Scenario.InstallAsync();
        var stale = await scenario.Provider.GetAccessTokenAsync(Acme);

        // Gorgias's clock runs a day ahead: it rejects the token the app's clock still considers valid.
        scenario.GorgiasTime.Advance(TimeSpan.FromHours(25));
        var result = await scenario.Core.Services.GetRequiredService<IGorgiasApiClient>().GetAccountAsync(Acme, CancellationToken.None);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("acme", result.Value.Domain);
        Assert.Equal(1, scenario.Sandbox.Monitor.TokenRequestsFor("refresh_token"));
        Assert.Equal(2, scenario.Sandbox.Monitor.ApiCalls);
        Assert.NotEqual(stale.Value, (await scenario.Provider.GetAccessTokenAsync(Acme)).Value);
    }

    [Fact]
    public async Task GetAccount_WhenTheRefreshTokenWasRevoked_ReturnsReauthorizationRequiredAfterOneApiCall()
    {
        await using var scenario = await Scenario.InstallAsync();
        var refreshToken = (await scenario.Core.Services.GetRequiredService<ITokenSetRepository>().FindAsync(Acme, CancellationToken.None))!.RefreshToken;
        var revoked = await scenario.Core.Services.GetRequiredService<IGorgiasAuthorizationServer>().RevokeAsync(Acme, refreshToken, CancellationToken.None);
        Assert.True(revoked.Revoked);

        scenario.GorgiasTime.Advance(TimeSpan.FromHours(25));
        var result = await scenario.Core.SendAsync(new GetGorgiasAccountQuery("acme"));

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorKind.ReauthorizationRequired, result.Error.Kind);
        Assert.Equal(1, scenario.Sandbox.Monitor.ApiCalls);
        Assert.Equal(1, scenario.Sandbox.Monitor.TokenRequestsFor("refresh_token"));
    }

    [Fact]
    public async Task GetGorgiasAccountQuery_WhenTheAppIsNotInstalled_ReturnsNotFoundWithoutCallingGorgias()
    {
        await using var scenario = await Scenario.InstallAsync();

        var result = await scenario.Core.SendAsync(new GetGorgiasAccountQuery("globex"));

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorKind.NotFound, result.Error.Kind);
        Assert.Equal(0, scenario.Sandbox.Monitor.ApiCalls);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("acme.evil.com")]
    [InlineData("acme@evil")]
    public async Task GetGorgiasAccountQuery_ForAnInvalidAccount_IsRejectedWithoutCallingGorgias(string? account)
    {
        await using var scenario = await Scenario.InstallAsync();

        Assert.Equal(["account"], (await scenario.Core.SendAsync(new GetGorgiasAccountQuery(account))).Error?.Fields);

        Assert.Equal(0, scenario.Sandbox.Monitor.ApiCalls);
        Assert.Equal(0, scenario.Sandbox.Monitor.TokenRequestsFor("refresh_token"));
    }

    private sealed class Scenario : IAsyncDisposable
    {
        private readonly SharedStorage _storage;

        private Scenario(FakeTimeProvider gorgiasTime, SandboxServer sandbox, SharedStorage storage, IntegrationCore core)
        {
            GorgiasTime = gorgiasTime;
            Sandbox = sandbox;
            _storage = storage;
            Core = core;
        }

        public FakeTimeProvider GorgiasTime { get; }

        public SandboxServer Sandbox { get; }

        public IntegrationCore Core { get; }

        public IGorgiasAccessTokenProvider Provider => Core.Services.GetRequiredService<IGorgiasAccessTokenProvider>();

        /// <summary>Installs "acme" through the real flow; app and sandbox start at the same instant on separate clocks.</summary>
        public static async Task<Scenario> InstallAsync()
        {
            var start = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
            var gorgiasTime = new FakeTimeProvider(start);
            var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, gorgiasTime);
            var storage = new SharedStorage();
            var core = IntegrationCore.Create(sandbox, storage, new FakeTimeProvider(start));
            await core.InstallAsync("acme");
            return new Scenario(gorgiasTime, sandbox, storage, core);
        }

        public async ValueTask DisposeAsync()
        {
            await Core.DisposeAsync();
            await Sandbox.DisposeAsync();
            _storage.Dispose();
        }
    }
}

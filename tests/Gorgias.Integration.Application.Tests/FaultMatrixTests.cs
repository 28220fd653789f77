using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Installations.BeginInstall;
using Gorgias.Integration.Application.Installations.CompleteAuthorization;
using Gorgias.Integration.Application.Installations.GetGorgiasAccount;
using Gorgias.Integration.Application.Installations.RefreshToken;
using Gorgias.Integration.Application.Installations.Uninstall;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Application.Tests.Tokens;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Gorgias.Integration.Application.Tests;

/// <summary>
/// Every outbound call to Gorgias against every fault (issue: proof under faults): each ends in a clear typed
/// outcome within the client's timeout, and nothing stored is lost or half-written.
/// </summary>
public sealed class FaultMatrixTests : IAsyncLifetime
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan HttpTimeout = TimeSpan.FromMilliseconds(500);

    private readonly FakeTimeProvider _time = TokenTestKit.NewClock();
    private readonly SharedStorage _storage = new();
    private SandboxServer _sandbox = null!;
    private IntegrationCore _healthy = null!;

    public static TheoryData<Fault> Faults => new(Enum.GetValues<Fault>());

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, _time);
        _healthy = IntegrationCore.Create(_sandbox, _storage, _time);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task CodeExchange_AgainstAFaultyGorgias_FailsClearlyAndStoresNothing(Fault fault)
    {
        await using var gorgias = await StartFaultyAsync(fault);
        await using var core = CoreAt(gorgias);
        var begin = await core.SendAsync(new BeginInstallCommand("acme", "browser"));
        var state = BrowserQuery(begin.Value!.AuthorizeUri, "state");

        var result = await core.SendAsync(new CompleteAuthorizationCommand("acme", state, "some-code", null, "browser")).WaitAsync(Guard);

        Assert.Equal(ExpectedKind(fault), result.Error?.Kind);
        Assert.Equal(0L, await _storage.ScalarAsync<long>("SELECT COUNT(*) FROM installations"));
        Assert.Equal(0L, await _storage.ScalarAsync<long>("SELECT COUNT(*) FROM token_sets"));
        Assert.Single(gorgias.Requests); // the code was sent once, never again
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Refresh_AgainstAFaultyGorgias_FailsClearlyAndKeepsTheTokens(Fault fault)
    {
        await _healthy.InstallAsync("acme");
        var before = await _healthy.StoredTokensAsync("acme");
        await using var gorgias = await StartFaultyAsync(fault);
        await using var core = CoreAt(gorgias);

        var result = await core.SendAsync(new RefreshTokenCommand("acme")).WaitAsync(Guard);

        Assert.Equal(ExpectedKind(fault), result.Error?.Kind);
        var after = await _healthy.StoredTokensAsync("acme");
        Assert.Equal((before!.AccessToken, before.RefreshToken, before.Version), (after!.AccessToken, after.RefreshToken, after.Version));
        Assert.Equal(InstallationStatus.Active, await _healthy.StatusAsync("acme"));
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Revoke_AgainstAFaultyGorgias_UninstallsAndQueuesTheRefreshTokenUnlessGorgiasSaid200(Fault fault)
    {
        await _healthy.InstallAsync("acme");
        var refreshToken = (await _healthy.StoredTokensAsync("acme"))!.RefreshToken;
        await using var gorgias = await StartFaultyAsync(fault);
        await using var core = CoreAt(gorgias);

        var result = await core.SendAsync(new UninstallCommand("acme")).WaitAsync(Guard);

        // RFC 7009: a 200 is a revocation whatever its body; anything else leaves the token queued for a retry.
        var answered200 = fault is Fault.Html or Fault.Huge;
        Assert.Equal(new UninstallResult(AccountName.Parse("acme"), Revoked: answered200), result.Value);
        Assert.Equal(InstallationStatus.Uninstalled, await _healthy.StatusAsync("acme"));
        Assert.Equal(0L, await _storage.ScalarAsync<long>("SELECT COUNT(*) FROM token_sets"));
        Assert.Equal(answered200 ? 0L : 1L, await _storage.ScalarAsync<long>("SELECT COUNT(*) FROM pending_revocations"));
        Assert.Empty(_storage.FilesContaining(refreshToken));
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task ApiCall_AgainstAFaultyGorgias_FailsClearlyAndKeepsTheTokens(Fault fault)
    {
        await _healthy.InstallAsync("acme");
        var before = await _healthy.StoredTokensAsync("acme");
        await using var gorgias = await StartFaultyAsync(fault);
        await using var core = CoreAt(gorgias);

        // The API client's per-attempt timeout runs on the app's clock: once the request hangs at Gorgias, move the clock past it.
        var call = core.SendAsync(new GetGorgiasAccountQuery("acme"));
        if (fault == Fault.Slow)
        {
            await gorgias.WaitForRequestsAsync(1).WaitAsync(Guard);
            _time.Advance(HttpTimeout);
        }

        var result = await call.WaitAsync(Guard);

        Assert.Equal(ExpectedKind(fault), result.Error?.Kind);
        Assert.Equal(before!.Version, (await _healthy.StoredTokensAsync("acme"))!.Version);
        Assert.Equal(InstallationStatus.Active, await _healthy.StatusAsync("acme"));
    }

    public async Task DisposeAsync()
    {
        await _healthy.DisposeAsync();
        await _sandbox.DisposeAsync();
        _storage.Dispose();
    }

    private static ErrorKind ExpectedKind(Fault fault) =>
        fault is Fault.Html or Fault.Huge ? ErrorKind.GorgiasError : ErrorKind.GorgiasUnavailable;

    /// <summary>A Gorgias whose every endpoint misbehaves in the one way <paramref name="fault"/> names.</summary>
    private static async Task<ScriptableGorgias> StartFaultyAsync(Fault fault) => (await ScriptableGorgias.StartAsync()).Otherwise(fault switch
    {
        Fault.Slow => ScriptedAnswer.Held(200),
        Fault.Dropped => ScriptedAnswer.Dropped,
        Fault.ServerError => ScriptedAnswer.Empty(500),
        Fault.Unavailable => ScriptedAnswer.Empty(503, ("Retry-After", "7")),
        Fault.RateLimited => ScriptedAnswer.Empty(429, ("Retry-After", "3")),
        Fault.Html => ScriptedAnswer.Text(200, "<html><body>Gorgias is under maintenance</body></html>"),
        _ => ScriptedAnswer.Json(200, "{\"access_token\":\"") with { Padding = 30 * 1024 * 1024 },
    });

    private static string BrowserQuery(Uri uri, string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query)[name].ToString();

    private IntegrationCore CoreAt(ScriptableGorgias gorgias) => IntegrationCore.Create(_sandbox, _storage, _time, settings: new Dictionary<string, string?>
    {
        ["Gorgias:BaseUrlTemplate"] = gorgias.BaseUrlTemplate,
        ["Gorgias:HttpTimeout"] = HttpTimeout.ToString(),

        // Retry-After 3 s and 7 s are longer than the API client waits out itself: they come back as typed delays.
        ["Gorgias:ApiRetry:MaxRetryAfter"] = "00:00:01",
    });
}

/// <summary>The ways a Gorgias endpoint can misbehave.</summary>
public enum Fault
{
    /// <summary>Answers nothing until the test ends (past the client's timeout).</summary>
    Slow,

    /// <summary>Drops the connection without an answer.</summary>
    Dropped,

    /// <summary>500.</summary>
    ServerError,

    /// <summary>503 with Retry-After: 7.</summary>
    Unavailable,

    /// <summary>429 with Retry-After: 3.</summary>
    RateLimited,

    /// <summary>200 with an HTML page instead of JSON.</summary>
    Html,

    /// <summary>200 with a JSON body of 30 MB.</summary>
    Huge,
}

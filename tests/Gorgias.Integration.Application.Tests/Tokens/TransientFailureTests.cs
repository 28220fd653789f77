using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Installations.RefreshToken;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Testing;
using static Gorgias.Integration.Application.Tests.Tokens.TokenTestKit;

namespace Gorgias.Integration.Application.Tests.Tokens;

/// <summary>
/// SECURITY.md row 25, second half: 5xx / 429 / timeout at the token endpoint keep the current tokens and back off.
/// The installation is made through the sandbox by one core; a second core on the same storage talks to a
/// <see cref="ScriptableGorgias"/> whose token endpoint fails the way the sandbox cannot.
/// </summary>
public sealed class TransientFailureTests
{
    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task Row25_503Or429WithRetryAfter_KeepsTheTokens_ServesAStillValidOne_AndAnExpiredOneFailsWithRetryAfter(int status)
    {
        var time = NewClock();
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        await using var standIn = (await ScriptableGorgias.StartAsync()).On("POST", "/oauth/token", ScriptedAnswer.Empty(status, ("Retry-After", "7")));
        using var storage = new SharedStorage();
        await using var installer = IntegrationCore.Create(sandbox, storage, time);
        var installed = await installer.InstallAsync("acme");
        await using var core = IntegrationCore.Create(sandbox, storage, time,
            settings: new Dictionary<string, string?> { ["Gorgias:BaseUrlTemplate"] = standIn.BaseUrlTemplate });
        var issued = (await core.StoredTokensAsync("acme"))!;

        // Inside the refresh margin, not yet expired: the refresh fails, the current token is served.
        time.SetUtcNow(installed.AccessTokenExpiresAt - TimeSpan.FromMinutes(1));
        var served = await core.AccessTokenAsync("acme");
        var servedAgain = await core.AccessTokenAsync("acme");

        Assert.Equal(issued.AccessToken, served);
        Assert.Equal(served, servedAgain);
        Assert.Equal(1, standIn.TokenRequests); // the second call honoured Retry-After: no new request
        await AssertUnchangedAsync(core, issued);

        // Expired: nothing valid to serve.
        time.SetUtcNow(installed.AccessTokenExpiresAt + TimeSpan.FromSeconds(1));
        var failure = await core.AccessFailsAsync("acme");

        Assert.Equal(ErrorKind.GorgiasUnavailable, failure.Error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), failure.Error.RetryAfter);
        Assert.Equal(2, standIn.TokenRequests);
        await AssertUnchangedAsync(core, issued);
        Assert.Equal(InstallationStatus.Active, await core.StatusAsync("acme"));

        // The command reports the failure as a result, with the retry delay; being explicit, it asks Gorgias despite
        // the backoff (row 42).
        var command = await core.SendAsync(new RefreshTokenCommand("acme"));
        Assert.Equal(ErrorKind.GorgiasUnavailable, command.Error!.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), command.Error.RetryAfter);
        Assert.Equal(3, standIn.TokenRequests);
    }

    [Fact]
    public async Task Row25_ATimeout_KeepsTheTokens_ServesAStillValidOne_AndAnExpiredOneFailsWithTheBackoffStep()
    {
        var time = NewClock();
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        await using var standIn = (await ScriptableGorgias.StartAsync()).On("POST", "/oauth/token", ScriptedAnswer.Held(503));
        using var storage = new SharedStorage();
        await using var installer = IntegrationCore.Create(sandbox, storage, time);
        var installed = await installer.InstallAsync("acme");
        await using var core = IntegrationCore.Create(sandbox, storage, time, settings: new Dictionary<string, string?>
        {
            ["Gorgias:BaseUrlTemplate"] = standIn.BaseUrlTemplate,
            ["Gorgias:HttpTimeout"] = "00:00:00.300",
        });
        var issued = (await core.StoredTokensAsync("acme"))!;

        try
        {
            time.SetUtcNow(installed.AccessTokenExpiresAt - TimeSpan.FromMinutes(1));
            Assert.Equal(issued.AccessToken, await core.AccessTokenAsync("acme"));
            await AssertUnchangedAsync(core, issued);

            time.SetUtcNow(installed.AccessTokenExpiresAt + TimeSpan.FromSeconds(1));
            var failure = await core.AccessFailsAsync("acme");

            Assert.Equal(ErrorKind.GorgiasUnavailable, failure.Error.Kind);
            // The second failure in a row without Retry-After: the second backoff step, [2, 4) s (row 42).
            Assert.InRange(failure.Error.RetryAfter!.Value, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
            Assert.Equal(2, standIn.TokenRequests);
            await AssertUnchangedAsync(core, issued);
        }
        finally
        {
            standIn.ReleaseHeld();
        }
    }

    private static async Task AssertUnchangedAsync(IntegrationCore core, Domain.Tokens.TokenSet issued)
    {
        var stored = (await core.StoredTokensAsync("acme"))!;
        Assert.Equal((issued.AccessToken, issued.RefreshToken, issued.ExpiresAt, issued.Version),
            (stored.AccessToken, stored.RefreshToken, stored.ExpiresAt, stored.Version));
    }
}

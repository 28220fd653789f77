using System.Diagnostics;
using Gorgias.Integration.Application.Installations.RefreshToken;
using Gorgias.Integration.Application.Installations.Uninstall;
using Gorgias.Integration.Application.Telemetry;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Infrastructure.Gorgias.Api;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Gorgias.Integration.Application.Tests.Tokens.TokenTestKit;
using Spans = Gorgias.Integration.Application.Telemetry.GorgiasTelemetry.Spans;

namespace Gorgias.Integration.Application.Tests.Telemetry;

/// <summary>
/// The spans of an account's whole life on the sandbox, read through OpenTelemetry's in-memory exporter: install
/// start, callback with its code exchange, a refresh with its token request, an API call, an uninstall with its
/// revocation; each with the account, none with a secret (SECURITY.md row 60).
/// </summary>
public sealed class TelemetryTracingTests
{
    [Fact]
    public async Task Row60_AnAccountsLife_IsTracedSpanBySpan_WithTheAccount_AndNoSecretInAnyTagOfAnySpan()
    {
        using var capture = new SpanCapture();
        var secrets = new List<string> { SandboxCredentials.ClientSecret };
        await using var setup = await InstalledCore.StartAsync(account: null);
        var (time, _, _, core) = setup;
        var installed = await core.InstallAsync("acme", secrets);
        var issued = (await core.StoredTokensAsync("acme"))!;

        time.SetUtcNow(installed.AccessTokenExpiresAt);
        var refreshed = await core.AccessTokenAsync("acme");
        var stored = (await core.StoredTokensAsync("acme"))!;
        var account = await core.Services.GetRequiredService<IGorgiasApiFactory>().For(Acme).GetAccountAsync(CancellationToken.None);
        var uninstalled = await core.SendAsync(new UninstallCommand("acme"));

        Assert.NotNull(account);
        Assert.True(uninstalled.IsSuccess, uninstalled.Error?.Message);
        Assert.NotEqual(issued.AccessToken, refreshed);
        secrets.AddRange([issued.AccessToken, issued.RefreshToken, refreshed, stored.RefreshToken]);
        Assert.Equal(7, secrets.Distinct().Count()); // client secret, browser id, state, code, both access tokens, the refresh token

        // Every kind of span, each once, each naming the account.
        var names = capture.Spans.Select(span => span.OperationName).Order(StringComparer.Ordinal);
        Assert.Equal([Spans.ApiCall, Spans.InstallBegin, Spans.InstallComplete, Spans.OAuthRevoke, Spans.OAuthToken, Spans.OAuthToken,
            Spans.TokenRefresh, Spans.Uninstall], names);
        Assert.All(capture.Spans, span => Assert.Equal("acme", span.GetTagItem(GorgiasTelemetry.AccountAttribute)));
        Assert.All(capture.Spans, span => Assert.NotEqual(ActivityStatusCode.Error, span.Status));

        // The code exchange nests in the callback, the refresh's token request in the refresh, the revocation in the uninstall.
        var exchange = Assert.Single(capture.ChildrenOf(Assert.Single(capture.Named(Spans.InstallComplete))));
        Assert.Equal((Spans.OAuthToken, "authorization_code"), (exchange.OperationName, exchange.GetTagItem("gorgias.oauth.grant_type")));
        var refresh = Assert.Single(capture.ChildrenOf(Assert.Single(capture.Named(Spans.TokenRefresh))));
        Assert.Equal((Spans.OAuthToken, "refresh_token"), (refresh.OperationName, refresh.GetTagItem("gorgias.oauth.grant_type")));
        Assert.Equal(Spans.OAuthRevoke, Assert.Single(capture.ChildrenOf(Assert.Single(capture.Named(Spans.Uninstall)))).OperationName);
        var api = Assert.Single(capture.Named(Spans.ApiCall));
        Assert.Equal(("GET", 200), (api.GetTagItem("http.request.method"), api.GetTagItem("http.response.status_code")));

        var values = capture.Spans.SelectMany(span => span.TagObjects.Select(tag => $"{tag.Key}={tag.Value}")
            .Append(span.DisplayName).Append(span.StatusDescription ?? "")).ToList();
        Assert.NotEmpty(values);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(values, value => value.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task FailingRefresh_MarksTheRefreshSpanAndItsTokenRequestAsErrors_WithTheErrorType()
    {
        using var capture = new SpanCapture();
        await using var setup = await InstalledCore.StartAsync();
        await using var standIn = (await ScriptableGorgias.StartAsync()).On("POST", "/oauth/token", ScriptedAnswer.Empty(503));
        var core = setup.CoreAt(standIn);

        var result = await core.SendAsync(new RefreshTokenCommand("acme"));

        Assert.False(result.IsSuccess);
        var refresh = Assert.Single(capture.Named(Spans.TokenRefresh));
        var request = Assert.Single(capture.ChildrenOf(refresh));
        foreach (var span in (Activity[])[refresh, request])
        {
            Assert.Equal((ActivityStatusCode.Error, "unavailable"), (span.Status, span.GetTagItem("error.type")));
        }

        Assert.Equal(503, request.GetTagItem("http.response.status_code"));
    }

    [Fact]
    public async Task ACallbackWithAnUnknownState_EndsItsSpanInError_WithTheErrorCode()
    {
        using var capture = new SpanCapture();
        await using var setup = await InstalledCore.StartAsync(account: null);

        var result = await setup.Core.SendAsync(new Installations.CompleteAuthorization.CompleteAuthorizationCommand(
            "acme", "an-unknown-state-that-was-never-issued-by-anyone-0123456789", "some-code", null, "browser"));

        Assert.Equal("state_invalid", result.Error?.Code);
        var span = Assert.Single(capture.Named(Spans.InstallComplete));
        Assert.Equal((ActivityStatusCode.Error, "state_invalid", "acme"), (span.Status, span.GetTagItem("error.type"), span.GetTagItem(GorgiasTelemetry.AccountAttribute)));
        Assert.Empty(capture.ChildrenOf(span));
    }
}

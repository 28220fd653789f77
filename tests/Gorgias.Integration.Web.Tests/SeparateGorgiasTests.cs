using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gorgias.Integration.Testing;
using Gorgias.Integration.Web.Tests.Support;

namespace Gorgias.Integration.Web.Tests;

/// <summary>
/// The Host with its sandbox off, talking over real loopback sockets to a Gorgias stand-in on another port:
/// the real Sandbox, or a <see cref="ScriptableGorgias"/> whose token endpoint each test scripts (SECURITY.md section D).
/// </summary>
public sealed class SeparateGorgiasTests
{
    [Fact]
    public async Task Install_AgainstTheSandboxOnAnotherPort_Succeeds()
    {
        await using var sandbox = await SandboxServer.StartAsync(IntegrationHost.ClientId, IntegrationHost.ClientSecret);
        using var host = new IntegrationHost(new Dictionary<string, string?> { ["Gorgias:BaseUrlTemplate"] = sandbox.BaseUrlTemplate }, sandbox: false);
        using var browser = CrossHostBrowser.Create(host);

        using var callback = await BrowserFlow.InstallAsync(browser, "acme");

        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        Assert.Equal(1, sandbox.Monitor.TokenRequestsFor("authorization_code"));
        using var admin = host.CreateAdmin();
        var view = await admin.GetFromJsonAsync<JsonElement>(new Uri("/installations/acme", UriKind.Relative));
        Assert.Equal("Active", view.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Row17_InvalidClient_ShowsAGenericMessageAndLogsAConfigurationErrorWithoutTheSecret()
    {
        await using var gorgias = await ScriptableGorgias.StartAsync();
        var tokens = new GorgiasTokens(gorgias);
        gorgias.On("POST", "/oauth/token", ScriptedAnswer.JsonOf(new { error = "invalid_client" }, 401));
        using var host = HostFor(gorgias, new() { ["Gorgias:ClientSecret"] = "s3cret:with+special%chars é" });
        using var browser = CrossHostBrowser.Create(host);

        using var response = await BrowserFlow.InstallAutoApprovedAsync(browser, "acme");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("invalid_client", html, StringComparison.Ordinal);
        Assert.Contains(host.Logs, l => l.Contains("InvalidClient", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs, l => l.Contains("s3cret", StringComparison.Ordinal));
        var basic = Assert.Single(tokens.AuthorizationHeaders);
        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(basic["Basic ".Length..]));
        Assert.Equal($"{IntegrationHost.ClientId}:s3cret%3Awith%2Bspecial%25chars%20%C3%A9", decoded);
        Assert.Equal(0, Database.Count(host, "installations"));
    }

    [Theory]
    [InlineData("text/html", "<html><body>Gorgias is down</body></html>")]
    [InlineData("application/json", "{\"access_token\":\"abc\",\"token_type\":\"Bearer\",\"refresh_tok")]
    [InlineData("application/json", "{\"token_type\":\"Bearer\",\"refresh_token\":\"r\"}")]
    [InlineData("application/json", "{\"access_token\":\"abc\",\"token_type\":\"mac\",\"refresh_token\":\"r\"}")]
    [InlineData("application/json", "[1,2,3]")]
    public async Task Row18_UnusableTokenResponse_IsRejectedAndStoresNothing(string contentType, string body)
    {
        await using var gorgias = await ScriptableGorgias.StartAsync();
        gorgias.On("POST", "/oauth/token", ScriptedAnswer.Text(200, body, contentType));
        using var host = HostFor(gorgias);
        using var browser = CrossHostBrowser.Create(host);

        using var response = await BrowserFlow.InstallAutoApprovedAsync(browser, "acme");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(0, Database.Count(host, "installations"));
        Assert.Equal(0, Database.Count(host, "token_sets"));
    }

    [Fact]
    public async Task Row18_BearerInAnyCaseAndUnknownFields_AreAccepted()
    {
        await using var gorgias = await ScriptableGorgias.StartAsync();
        var tokens = new GorgiasTokens(gorgias);
        gorgias.On("POST", "/oauth/token", request =>
        {
            var response = tokens.DefaultTokenResponse(request.Account);
            response["token_type"] = "bEaReR";
            response["something_new"] = new { nested = true };
            return ScriptedAnswer.JsonOf(response);
        });
        using var host = HostFor(gorgias);
        using var browser = CrossHostBrowser.Create(host);

        using var response = await BrowserFlow.InstallAutoApprovedAsync(browser, "acme");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("nonce")]
    [InlineData("missing-nonce")]
    [InlineData("audience")]
    [InlineData("expired")]
    [InlineData("malformed")]
    public async Task Row20_IdTokenWithWrongNonceAudienceOrExpiry_IsRejected(string defect)
    {
        await using var gorgias = await ScriptableGorgias.StartAsync();
        var tokens = new GorgiasTokens(gorgias);
        gorgias.On("POST", "/oauth/token", request =>
        {
            var response = tokens.DefaultTokenResponse(request.Account);
            response["id_token"] = defect switch
            {
                "nonce" => tokens.IdToken(request.Account, nonce: "another-nonce"),
                "missing-nonce" => tokens.IdToken(request.Account, nonce: ""),
                "audience" => tokens.IdToken(request.Account, audience: "another-client"),
                "expired" => tokens.IdToken(request.Account, expiresAt: tokens.Now.AddMinutes(-1)),
                _ => "not-a-jwt",
            };
            return ScriptedAnswer.JsonOf(response);
        });
        using var host = HostFor(gorgias);
        using var browser = CrossHostBrowser.Create(host);

        using var response = await BrowserFlow.InstallAutoApprovedAsync(browser, "acme");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-code=\"id_token_invalid\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, Database.Count(host, "installations"));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("issuer")]
    public async Task Row45_WithOpenidRequested_AnAnswerWithoutAnIdTokenOrFromAnotherIssuer_IsRefusedAndItsTokensRevoked(string defect)
    {
        await using var gorgias = await ScriptableGorgias.StartAsync();
        var tokens = new GorgiasTokens(gorgias);
        gorgias.On("POST", "/oauth/token", request =>
        {
            var response = tokens.DefaultTokenResponse(request.Account);
            if (defect == "missing")
            {
                response.Remove("id_token");
            }
            else
            {
                response["id_token"] = tokens.IdToken(request.Account, issuer: "https://evil.gorgias.com");
            }

            return ScriptedAnswer.JsonOf(response);
        });
        using var host = HostFor(gorgias);
        using var browser = CrossHostBrowser.Create(host);

        using var response = await BrowserFlow.InstallAutoApprovedAsync(browser, "acme");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-code=\"id_token_invalid\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, Database.Count(host, "installations"));
        Assert.Equal(GorgiasTokens.RefreshToken, Assert.Single(tokens.RevokedTokens));
        Assert.Contains(host.Logs, l => l.Contains($"rejected: {defect}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Row45_WithoutOpenidRequested_AnAnswerWithoutAnIdToken_IsAccepted()
    {
        await using var gorgias = await ScriptableGorgias.StartAsync();
        var tokens = new GorgiasTokens(gorgias);
        gorgias.On("POST", "/oauth/token", request =>
        {
            var response = tokens.DefaultTokenResponse(request.Account);
            response.Remove("id_token");
            return ScriptedAnswer.JsonOf(response);
        });
        using var host = HostFor(gorgias, new() { ["Gorgias:Scopes"] = "offline account:read" });
        using var browser = CrossHostBrowser.Create(host);

        using var response = await BrowserFlow.InstallAutoApprovedAsync(browser, "acme");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(tokens.RevokedTokens);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0L)]
    public async Task Row21_ExpiresInZeroOrAbsent_TakesTheExpiryFromTheJwt(long? expiresIn)
    {
        await using var gorgias = await ScriptableGorgias.StartAsync();
        var tokens = new GorgiasTokens(gorgias);
        gorgias.On("POST", "/oauth/token", request =>
        {
            var response = tokens.DefaultTokenResponse(request.Account);
            if (expiresIn is null)
            {
                response.Remove("expires_in");
            }

            return ScriptedAnswer.JsonOf(response);
        });
        tokens.Now = new DateTimeOffset(2026, 11, 30, 15, 30, 0, TimeSpan.Zero);
        using var host = HostFor(gorgias);
        using var browser = CrossHostBrowser.Create(host);

        (await BrowserFlow.InstallAutoApprovedAsync(browser, "acme")).Dispose();

        using var admin = host.CreateAdmin();
        var view = await admin.GetFromJsonAsync<JsonElement>(new Uri("/installations/acme", UriKind.Relative));
        Assert.Equal(tokens.Now.AddHours(24), view.GetProperty("accessTokenExpiresAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Row31_WithEveryLogCategoryAtTrace_NoSecretReachesTheLogs()
    {
        await using var gorgias = await ScriptableGorgias.StartAsync();
        var tokens = new GorgiasTokens(gorgias);
        using var host = HostFor(gorgias);
        using var browser = CrossHostBrowser.Create(host);
        var authorize = await BrowserFlow.StartAsync(browser, "acme");
        var state = BrowserFlow.Query(authorize, "state")!;

        using var response = await browser.GetAsync(await BrowserFlow.AutoApproveAsync(browser, authorize));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var logs = string.Join('\n', host.Logs);
        Assert.Contains("Request starting HTTP/1.1 GET https://localhost/oauth/callback?", logs, StringComparison.Ordinal); // the request log ran, at Trace
        var secrets = new[]
        {
            ScriptableGorgias.AuthorizationCode, GorgiasTokens.RefreshToken, GorgiasTokens.AccessTokenSecretPart, tokens.AccessToken("acme"),
            IntegrationHost.ClientSecret, state, BrowserFlow.Query(authorize, "nonce")!,
            tokens.AuthorizationHeaders.First()["Basic ".Length..],
        };
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }

    private static IntegrationHost HostFor(ScriptableGorgias gorgias, Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings["Gorgias:BaseUrlTemplate"] = gorgias.BaseUrlTemplate;
        return new IntegrationHost(settings, sandbox: false);
    }
}

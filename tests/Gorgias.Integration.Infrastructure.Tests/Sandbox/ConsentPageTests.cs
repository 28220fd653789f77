using System.Net;
using Gorgias.Integration.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace Gorgias.Integration.Infrastructure.Tests.Sandbox;

public sealed class ConsentPageTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private SandboxServer Sandbox => fixture.Host;

    [Fact]
    public async Task Authorize_RendersAConsentPage_NamingAccountClientAndScopes_WithAllowAndDenyButtons()
    {
        using var client = Sandbox.CreateClient();

        using var response = await client.GetAsync(SandboxFlow.AuthorizePath("Acme", SandboxFlow.AuthorizeParameters()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<strong>acme</strong>", html, StringComparison.Ordinal);
        Assert.Contains(SandboxCredentials.ClientId, html, StringComparison.Ordinal);
        Assert.Contains("<code>account:read</code>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"allow\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"deny\"", html, StringComparison.Ordinal);
        Assert.Contains("action=\"authorize/decision\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Row13_ConsentPage_HtmlEncodesAHostileScopeAndState()
    {
        using var client = Sandbox.CreateClient();
        var parameters = SandboxFlow.AuthorizeParameters(
            scope: "openid <script>alert(1)</script>",
            state: "\"><img src=x onerror=alert(2)>");

        using var response = await client.GetAsync(SandboxFlow.AuthorizePath("acme", parameters));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"><", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("response_type")]
    [InlineData("client_id")]
    [InlineData("redirect_uri")]
    [InlineData("state")]
    [InlineData("scope")]
    public async Task Authorize_MissingParameter_Is400(string missing)
    {
        using var client = Sandbox.CreateClient();
        var parameters = SandboxFlow.AuthorizeParameters();
        parameters.Remove(missing);

        using var response = await client.GetAsync(SandboxFlow.AuthorizePath("acme", parameters));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("response_type", "token")]
    [InlineData("client_id", "someone-else")]
    [InlineData("redirect_uri", "javascript:alert(1)")]
    [InlineData("redirect_uri", "/relative")]
    [InlineData("redirect_uri", "https://app.example/cb#fragment")]
    [InlineData("code_challenge_method", "plain")]
    public async Task Authorize_InvalidParameter_Is400(string name, string value)
    {
        using var client = Sandbox.CreateClient();
        var parameters = SandboxFlow.AuthorizeParameters(codeChallenge: "x".PadRight(43, 'x'));
        parameters[name] = value;

        using var response = await client.GetAsync(SandboxFlow.AuthorizePath("acme", parameters));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Authorize_RepeatedState_Is400()
    {
        using var client = Sandbox.CreateClient();

        using var response = await client.GetAsync(SandboxFlow.AuthorizePath("acme", SandboxFlow.AuthorizeParameters()) + "&state=second");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("acme.evil.com")]
    [InlineData("-acme")]
    [InlineData("acme-")]
    [InlineData("ac_me")]
    [InlineData("ac%40me")]
    [InlineData("ac%20me")]
    [InlineData("%C3%A4cme")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Account_ThatIsNotOneDnsLabel_Is404(string account)
    {
        using var client = Sandbox.CreateClient();

        using var authorize = await client.GetAsync(SandboxFlow.AuthorizePath(account, SandboxFlow.AuthorizeParameters()));
        using var api = await client.GetAsync($"sandbox/{account}/api/account");

        Assert.Equal(HttpStatusCode.NotFound, authorize.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
    }

    [Fact]
    public async Task Row13_Deny_RedirectsWithAccessDeniedAndTheState()
    {
        using var client = Sandbox.CreateClient();

        using var response = await SandboxFlow.DecideAsync(client, "acme", SandboxFlow.AuthorizeParameters(), "deny");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith("https://app.example/oauth/callback?account=acme&", location.OriginalString, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("access_denied", query["error"].ToString());
        Assert.False(string.IsNullOrEmpty(query["error_description"]));
        Assert.Equal("state-1", query["state"].ToString());
        Assert.False(query.ContainsKey("code"));
    }

    [Theory]
    [InlineData("https://app.example/oauth/callback?account=acme", "https://app.example/oauth/callback?account=acme&code=")]
    [InlineData("https://app.example/oauth/callback", "https://app.example/oauth/callback?code=")]
    public async Task Allow_AppendsCodeAndState_ToTheRedirectUri(string redirectUri, string expectedStart)
    {
        using var client = Sandbox.CreateClient();

        using var response = await SandboxFlow.DecideAsync(client, "acme", SandboxFlow.AuthorizeParameters(redirectUri: redirectUri, state: "a b&c"), "allow");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith(expectedStart, location, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(new Uri(location).Query);
        Assert.Equal("a b&c", query["state"].ToString());
        Assert.True(query["code"].ToString().Length >= 43);
    }

    [Fact]
    public async Task Decision_WithoutAValidDecision_Is400()
    {
        using var client = Sandbox.CreateClient();

        using var response = await SandboxFlow.DecideAsync(client, "acme", SandboxFlow.AuthorizeParameters(), "maybe");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

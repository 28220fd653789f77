using System.Net;
using Gorgias.Integration.Domain.Authorization;
using Gorgias.Integration.Web.Tests.Support;

namespace Gorgias.Integration.Web.Tests;

/// <summary>SECURITY.md section A: the untrusted <c>account</c> parameter, over HTTP, against the real Gorgias URL template.</summary>
public sealed class AccountParameterTests : IDisposable
{
    private readonly IntegrationHost _host = new(new Dictionary<string, string?> { ["Gorgias:BaseUrlTemplate"] = "https://{account}.gorgias.com" }, sandbox: false);

    [Fact]
    public async Task Row01_Install_RedirectsToExactlyTheAccountsAuthorizeEndpoint()
    {
        using var browser = _host.CreateNonRedirectingBrowser();

        var authorize = await BrowserFlow.StartAsync(browser, "acme");

        Assert.Equal("https", authorize.Scheme);
        Assert.Equal("acme.gorgias.com", authorize.Host);
        Assert.True(authorize.IsDefaultPort);
        Assert.Equal("", authorize.UserInfo);
        Assert.Equal("/oauth/authorize", authorize.AbsolutePath);
        Assert.Equal("code", BrowserFlow.Query(authorize, "response_type"));
        Assert.Equal(IntegrationHost.ClientId, BrowserFlow.Query(authorize, "client_id"));
        Assert.Equal("openid email profile offline account:read tickets:read tickets:write customers:read customers:write users:read events:read integrations:read integrations:write", BrowserFlow.Query(authorize, "scope"));
        Assert.Equal("https://localhost/oauth/callback?account=acme", BrowserFlow.Query(authorize, "redirect_uri"));
        Assert.InRange(BrowserFlow.Query(authorize, "state")!.Length, AuthorizationRequest.MinStateLength, AuthorizationRequest.MaxStateLength);
        Assert.Equal(43, BrowserFlow.Query(authorize, "nonce")!.Length);
        Assert.Equal(0, Database.Count(_host, "used_authorization_requests")); // the start stored nothing
    }

    [Fact]
    public async Task Row02_UpperCaseAccount_IsLowerCased()
    {
        using var browser = _host.CreateNonRedirectingBrowser();

        var authorize = await BrowserFlow.StartAsync(browser, "ACME");

        Assert.Equal("acme.gorgias.com", authorize.Host);
        Assert.Equal("https://localhost/oauth/callback?account=acme", BrowserFlow.Query(authorize, "redirect_uri"));
    }

    [Theory]
    [InlineData("acme.evil.com")]
    [InlineData("evil.com%2Facme")]
    [InlineData("acme%40evil.com")]
    [InlineData("acme%3A8080")]
    [InlineData("acme%2F..")]
    [InlineData("acme%5Cevil")]
    [InlineData("acme%23x")]
    [InlineData("acme%3Fx%3D1")]
    [InlineData("acme%252e")]
    [InlineData("acme%00")]
    [InlineData("acme%0D%0ALocation:%20evil")]
    [InlineData("ac%20me")]
    [InlineData("127.0.0.1")]
    [InlineData("%5B%3A%3A1%5D")]
    [InlineData("-acme")]
    [InlineData("acme-")]
    [InlineData("")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("%D0%B0cme")]
    [InlineData("%EF%BD%81cme")]
    public async Task Row03_AccountThatIsNotOneDnsLabel_IsRejectedWithNoRedirect(string escapedAccount)
    {
        using var browser = _host.CreateNonRedirectingBrowser();

        using var response = await browser.GetAsync(new Uri($"/oauth/install?account={escapedAccount}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Gorgias account", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Row03_MissingAccount_IsRejected()
    {
        using var browser = _host.CreateNonRedirectingBrowser();

        using var response = await browser.GetAsync(new Uri("/oauth/install", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Row04_RepeatedAccount_IsRejectedNotResolved()
    {
        using var browser = _host.CreateNonRedirectingBrowser();

        using var response = await browser.GetAsync(new Uri("/oauth/install?account=acme&account=evil", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Row05_RedirectUri_IsTheConfiguredOneWhateverTheHostHeaders()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/oauth/install?account=acme", UriKind.Relative));
        request.Headers.Host = "evil.example";
        request.Headers.Add("X-Forwarded-Host", "evil.example");
        request.Headers.Add("X-Forwarded-Proto", "http");

        using var response = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("https://localhost/oauth/callback?account=acme", BrowserFlow.Query(response.Headers.Location!, "redirect_uri"));
        Assert.Equal("acme.gorgias.com", response.Headers.Location!.Host);
    }

    public void Dispose() => _host.Dispose();
}

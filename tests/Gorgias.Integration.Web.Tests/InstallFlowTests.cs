using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gorgias.Integration.Sandbox;
using Gorgias.Integration.Testing;
using Gorgias.Integration.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Web.Tests;

/// <summary>The whole install through HTTP, as a browser does it, against the sandbox mounted in the Host.</summary>
public sealed class InstallFlowTests : IDisposable
{
    private readonly IntegrationHost _host = new();

    private SandboxMonitor Sandbox => _host.Services.GetRequiredService<SandboxMonitor>();

    [Fact]
    public async Task Install_ThroughConsentAndCallback_ShowsActiveInstallationWithExpiryAboutADayAheadAndNoToken()
    {
        using var browser = _host.CreateBrowser();

        using var consent = await browser.GetAsync(new Uri("/oauth/install?account=acme", UriKind.Relative));
        var consentUri = consent.RequestMessage!.RequestUri!;
        var (action, fields) = ConsentForm.Read(await consent.Content.ReadAsStringAsync(), consentUri, "allow");
        using var callback = await browser.PostAsync(action, new FormUrlEncodedContent(fields));

        Assert.Equal("/sandbox/acme/oauth/authorize", consentUri.AbsolutePath);
        Assert.Equal("/oauth/callback", callback.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        Assert.Contains("data-outcome=\"connected\"", await callback.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var admin = _host.CreateAdmin();
        using var response = await admin.GetAsync(new Uri("/installations/acme", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        Assert.Equal("acme", json.RootElement.GetProperty("account").GetString());
        Assert.Equal("Active", json.RootElement.GetProperty("status").GetString());
        var expiresAt = json.RootElement.GetProperty("accessTokenExpiresAt").GetDateTimeOffset();
        Assert.InRange(expiresAt - _host.Time.GetUtcNow(), TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));
        Assert.DoesNotContain("token\":\"", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("eyJ", body, StringComparison.Ordinal);
        Assert.Equal(1, Sandbox.TokenRequestsFor("authorization_code"));
    }

    [Fact]
    public async Task ListInstallations_AfterTwoInstalls_ListsBothWithoutTokens()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        (await BrowserFlow.InstallAsync(browser, "acme")).Dispose();
        (await BrowserFlow.InstallAsync(browser, "globex")).Dispose();

        using var admin = _host.CreateAdmin();
        var body = await admin.GetStringAsync(new Uri("/installations", UriKind.Relative));

        using var json = JsonDocument.Parse(body);
        Assert.Equal(["acme", "globex"], json.RootElement.EnumerateArray().Select(e => e.GetProperty("account").GetString()));
        Assert.DoesNotContain("eyJ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reinstall_ReplacesTheTokensAndStaysActive()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        (await BrowserFlow.InstallAsync(browser, "acme")).Dispose();
        _host.Time.Advance(TimeSpan.FromHours(2));

        using var second = await BrowserFlow.InstallAsync(browser, "acme");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using var admin = _host.CreateAdmin();
        var view = await admin.GetFromJsonAsync<JsonElement>(new Uri("/installations/acme", UriKind.Relative));
        Assert.Equal("Active", view.GetProperty("status").GetString());
        Assert.InRange(view.GetProperty("accessTokenExpiresAt").GetDateTimeOffset() - _host.Time.GetUtcNow(), TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));
        Assert.Equal(2, Sandbox.TokenRequestsFor("authorization_code"));
    }

    [Fact]
    public async Task DeclinedConsent_ShowsDeclinedPageAndInstallsNothing()
    {
        using var browser = _host.CreateNonRedirectingBrowser();

        using var callback = await BrowserFlow.InstallAsync(browser, "acme", allow: false);

        Assert.Contains("data-outcome=\"declined\"", await callback.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, Sandbox.TokenRequests);
        using var admin = _host.CreateAdmin();
        using var view = await admin.GetAsync(new Uri("/installations/acme", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, view.StatusCode);
        Assert.Equal("application/problem+json", view.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task InstallationsRoutes_WithoutAdminKey_Are401()
    {
        using var anonymous = _host.CreateClient();
        using var wrongKey = _host.CreateClient();
        wrongKey.DefaultRequestHeaders.Authorization = new("Bearer", IntegrationHost.AdminKey + "x");

        using var first = await anonymous.GetAsync(new Uri("/installations", UriKind.Relative));
        using var second = await wrongKey.GetAsync(new Uri("/installations/acme", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
    }

    [Fact]
    public async Task GetInstallation_WithHostileAccount_Is400ProblemJson()
    {
        using var admin = _host.CreateAdmin();

        using var response = await admin.GetAsync(new Uri("/installations/acme.evil.com", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_ReportsHealthyWithTheDatabase()
    {
        using var client = _host.CreateClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StartPage_OffersTheSandboxInstallForm()
    {
        using var client = _host.CreateClient();

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("id=\"install-form\"", html, StringComparison.Ordinal);
        Assert.Contains("action=\"/oauth/install\"", html, StringComparison.Ordinal);
    }

    public void Dispose() => _host.Dispose();
}

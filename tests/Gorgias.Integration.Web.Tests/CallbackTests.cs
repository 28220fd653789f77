using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Gorgias.Integration.Sandbox;
using Gorgias.Integration.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Web.Tests;

/// <summary>SECURITY.md sections B and C: state, browser binding and callback errors, against the in-Host sandbox.</summary>
public sealed class CallbackTests : IDisposable
{
    private readonly IntegrationHost _host = new();

    private SandboxMonitor Sandbox => _host.Services.GetRequiredService<SandboxMonitor>();

    [Fact]
    public async Task Row06_MissingOrEmptyState_IsRejectedWithoutExchange()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        var callback = await ApprovedCallbackAsync(browser, "acme");

        using var missing = await browser.GetAsync(BrowserFlow.WithQuery(callback, "state", null));
        using var empty = await browser.GetAsync(BrowserFlow.WithQuery(callback, "state", ""));

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(0, Sandbox.TokenRequests);
    }

    [Fact]
    public async Task Row06_UnknownState_IsRejectedWithoutExchange()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        var callback = await ApprovedCallbackAsync(browser, "acme");

        using var response = await browser.GetAsync(BrowserFlow.WithQuery(callback, "state", Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-code=\"state_invalid\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, Sandbox.TokenRequests);
    }

    [Fact]
    public async Task Row06_StateOlderThanTenMinutes_IsRejectedWithoutExchange()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        var callback = await ApprovedCallbackAsync(browser, "acme");
        _host.Time.Advance(TimeSpan.FromMinutes(10));

        using var response = await browser.GetAsync(callback);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, Sandbox.TokenRequests);
    }

    [Fact]
    public async Task Row06_StateJustUnderTenMinutesOld_IsAccepted()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        var authorize = await BrowserFlow.StartAsync(browser, "acme");
        _host.Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1)); // the user takes their time on the consent page
        var callback = await BrowserFlow.DecideAsync(browser, authorize, allow: true);

        using var response = await browser.GetAsync(callback);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Row06_ReplayedState_IsRejectedAndTheCodeIsNotResent()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        using var other = _host.CreateNonRedirectingBrowser();
        var callback = await ApprovedCallbackAsync(browser, "acme");
        (await browser.GetAsync(callback)).Dispose();
        await BrowserFlow.StartAsync(other, "globex"); // a browser with a binding cookie of its own

        using var replay = await other.GetAsync(callback);

        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("data-code=\"state_invalid\"", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, Sandbox.TokenRequests);
    }

    [Fact]
    public async Task Row07_TwoSimultaneousCallbacksWithOneState_ExchangeExactlyOnce()
    {
        // Without a cookie jar: every request carries the binding cookie and none the completed marker of the winner,
        // so the losers are refused instead of showing the winner's connected page.
        using var client = _host.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        using var install = await client.GetAsync(new Uri("/oauth/install?account=acme", UriKind.Relative));
        var cookie = Assert.Single(install.Headers.GetValues("Set-Cookie")).Split(';')[0];
        using var consent = _host.CreateNonRedirectingBrowser();
        var callback = await BrowserFlow.DecideAsync(consent, install.Headers.Location!, allow: true);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, callback);
            request.Headers.Add("Cookie", cookie);
            return client.SendAsync(request);
        }));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
        Assert.Equal(1, Sandbox.TokenRequests);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Row08_State_HasAtLeast128RandomBitsAndIsNotStoredInPlainText()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        var states = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            states.Add(BrowserFlow.Query(await BrowserFlow.StartAsync(browser, "acme"), "state")!);
        }

        Assert.All(states, s => Assert.True(Base64Url.DecodeFromChars(s).Length >= 16));
        Assert.Equal(states.Count, states.Distinct().Count());
        var bytes = Database.AllBytes(_host);
        Assert.All(states, s => Assert.False(Database.Contains(bytes, s), "a state is stored in plain text"));
    }

    [Fact]
    public async Task Row09_BindingCookie_IsHttpOnlySecureAndLax()
    {
        using var browser = _host.CreateNonRedirectingBrowser();

        using var response = await browser.GetAsync(new Uri("/oauth/install?account=acme", UriKind.Relative));

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Row09_StateFromAnotherBrowser_IsRejectedWithoutExchange()
    {
        using var victim = _host.CreateNonRedirectingBrowser();
        using var attacker = _host.CreateNonRedirectingBrowser();
        var callback = await ApprovedCallbackAsync(victim, "acme");

        using var response = await attacker.GetAsync(callback);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, Sandbox.TokenRequests);
        Assert.Equal(0, Database.Count(_host, "installations"));
    }

    [Fact]
    public async Task Row10_CallbackForAnotherAccount_IsRejectedWithoutExchange()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        var callback = await ApprovedCallbackAsync(browser, "acme");

        using var response = await browser.GetAsync(BrowserFlow.WithQuery(callback, "account", "globex"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, Sandbox.TokenRequests);
        Assert.Equal(0, Database.Count(_host, "installations"));
    }

    [Fact]
    public async Task Row11_PkceS256_IsSentAndTheVerifierIsSentAtExchange()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        var authorize = await BrowserFlow.StartAsync(browser, "acme");
        var callback = await BrowserFlow.DecideAsync(browser, authorize, allow: true);

        (await browser.GetAsync(callback)).Dispose();

        Assert.Equal("S256", BrowserFlow.Query(authorize, "code_challenge_method"));
        var verifier = Sandbox.LastTokenRequest["code_verifier"];
        var expected = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        Assert.Equal(expected, BrowserFlow.Query(authorize, "code_challenge"));
    }

    [Fact]
    public async Task Row12_TwoParallelInstallsInOneBrowser_BothSucceedForTheirOwnAccount()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        var acme = await BrowserFlow.StartAsync(browser, "acme");
        var globex = await BrowserFlow.StartAsync(browser, "globex");
        var acmeCallback = await BrowserFlow.DecideAsync(browser, acme, allow: true);
        var globexCallback = await BrowserFlow.DecideAsync(browser, globex, allow: true);

        using var globexDone = await browser.GetAsync(globexCallback);
        using var acmeDone = await browser.GetAsync(acmeCallback);

        Assert.Contains("<strong>globex</strong>", await globexDone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("<strong>acme</strong>", await acmeDone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, Database.Count(_host, "installations"));
    }

    [Fact]
    public async Task Row13_AccessDenied_ConsumesStateShowsDeclinedAndNeverRendersTheDescriptionUnescaped()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        var callback = await ApprovedCallbackAsync(browser, "acme");
        var declined = BrowserFlow.WithQuery(BrowserFlow.WithQuery(BrowserFlow.WithQuery(callback, "code", null), "error", "access_denied"),
            "error_description", "<script>alert(1)</script>");

        using var response = await browser.GetAsync(declined);
        using var replay = await browser.GetAsync(callback);

        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-outcome=\"declined\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal(0, Sandbox.TokenRequests);
        Assert.Equal(0, Database.Count(_host, "installations"));
    }

    [Theory]
    [InlineData("server_error")]
    [InlineData("temporarily_unavailable")]
    [InlineData("something_new")]
    public async Task Row14_OtherCallbackErrors_ShowAFreshInstallLink(string error)
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        var callback = await ApprovedCallbackAsync(browser, "acme");

        using var response = await browser.GetAsync(BrowserFlow.WithQuery(BrowserFlow.WithQuery(callback, "code", null), "error", error));

        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-outcome=\"failed\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"install?account=acme\"", html, StringComparison.Ordinal);
        Assert.Equal(0, Sandbox.TokenRequests);
    }

    [Fact]
    public async Task Row15_BothCodeAndErrorOrNeither_IsRejected()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        var callback = await ApprovedCallbackAsync(browser, "acme");

        using var both = await browser.GetAsync(BrowserFlow.WithQuery(callback, "error", "access_denied"));
        using var neither = await browser.GetAsync(BrowserFlow.WithQuery(callback, "code", null));

        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, neither.StatusCode);
        Assert.Equal(0, Sandbox.TokenRequests);
    }

    [Fact]
    public async Task Row16_RejectedCode_IsNeverResentAndStoresNothing()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        var first = await ApprovedCallbackAsync(browser, "acme");
        (await browser.GetAsync(first)).Dispose();
        var second = await ApprovedCallbackAsync(browser, "globex");

        // globex's flow comes back with acme's code, which the sandbox already redeemed: invalid_grant.
        using var response = await browser.GetAsync(BrowserFlow.WithQuery(second, "code", BrowserFlow.Query(first, "code")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-code=\"invalid_grant\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, Sandbox.TokenRequestsFor("authorization_code"));
        Assert.Equal(1, Database.Count(_host, "installations"));
        Assert.Equal(1, Database.Count(_host, "token_sets"));
    }

    [Fact]
    public async Task Row19_NoRefreshToken_IsNotReportedAsAWorkingInstallation()
    {
        using var host = new IntegrationHost(new Dictionary<string, string?> { ["Gorgias:Scopes"] = "openid email profile account:read" });
        using var browser = host.CreateNonRedirectingBrowser();
        var callback = await BrowserFlow.DecideAsync(browser, await BrowserFlow.StartAsync(browser, "acme"), allow: true);

        using var response = await browser.GetAsync(callback);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-code=\"no_refresh_token\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, Database.Count(host, "installations"));
    }

    [Fact]
    public async Task Row32_CallbackAnswers_AreNotCachedAndSendNoReferrer()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        var callback = await ApprovedCallbackAsync(browser, "acme");

        using var success = await browser.GetAsync(callback);
        using var failure = await browser.GetAsync(callback);

        foreach (var response in new[] { success, failure })
        {
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
            Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store is missing");
        }
    }

    [Fact]
    public async Task Row33_PostInstallRedirect_ComesFromConfigurationOnly()
    {
        using var host = new IntegrationHost(new Dictionary<string, string?> { ["Integration:PostInstallRedirect"] = "https://app.example/welcome" });
        using var browser = host.CreateNonRedirectingBrowser();
        var authorize = await BrowserFlow.StartAsync(browser, "acme");
        var callback = await BrowserFlow.DecideAsync(browser, authorize, allow: true);

        using var response = await browser.GetAsync(BrowserFlow.WithQuery(BrowserFlow.WithQuery(callback, "redirect", "https://evil.example/"), "return_url", "https://evil.example/"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(new Uri("https://app.example/welcome"), response.Headers.Location);
    }

    [Fact]
    public async Task Row36_OverlongCode_IsRejectedBeforeTheStateIsTouched()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        var callback = await ApprovedCallbackAsync(browser, "acme");

        using var overlong = await browser.GetAsync(BrowserFlow.WithQuery(callback, "code", new string('c', 4097)));
        using var genuine = await browser.GetAsync(callback);

        Assert.Equal(HttpStatusCode.BadRequest, overlong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
    }

    [Fact]
    public async Task Row36_OverlongStateOrQuery_IsRejectedBeforeTheDatabase()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        var callback = await ApprovedCallbackAsync(browser, "acme");

        using var longState = await browser.GetAsync(BrowserFlow.WithQuery(callback, "state", new string('s', 513)));
        using var longQuery = await browser.GetAsync(BrowserFlow.WithQuery(callback, "padding", new string('p', 9000)));
        using var genuine = await browser.GetAsync(callback);

        Assert.Equal(HttpStatusCode.BadRequest, longState.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, longQuery.StatusCode);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
    }

    public void Dispose() => _host.Dispose();

    /// <summary>Starts an install and approves it; returns the callback URL without visiting it.</summary>
    private static async Task<Uri> ApprovedCallbackAsync(HttpClient browser, string account) =>
        await BrowserFlow.DecideAsync(browser, await BrowserFlow.StartAsync(browser, account), allow: true);
}

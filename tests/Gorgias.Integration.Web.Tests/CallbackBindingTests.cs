using System.Net;
using Gorgias.Integration.Sandbox;
using Gorgias.Integration.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Web.Tests;

/// <summary>
/// The browser binding under attack and in everyday use: a callback that fails the browser or account check consumes
/// nothing (SECURITY.md row 39), the cookie is renewed on every install, and a reload of a completed callback in the
/// same browser shows the connected page.
/// </summary>
public sealed class CallbackBindingTests : IDisposable
{
    private readonly IntegrationHost _host = new();

    private SandboxMonitor Sandbox => _host.Services.GetRequiredService<SandboxMonitor>();

    [Fact]
    public async Task Row09_EveryInstall_SetsTheBindingCookieAgain_SameValueFreshExpiry()
    {
        using var browser = _host.CreateNonRedirectingBrowser();

        using var first = await browser.GetAsync(new Uri("/oauth/install?account=acme", UriKind.Relative));
        using var second = await browser.GetAsync(new Uri("/oauth/install?account=globex", UriKind.Relative));

        var firstCookie = Assert.Single(first.Headers.GetValues("Set-Cookie"));
        var secondCookie = Assert.Single(second.Headers.GetValues("Set-Cookie"));
        Assert.Equal(firstCookie.Split(';')[0], secondCookie.Split(';')[0]);
        Assert.Contains("max-age=3600", secondCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Row39_CallbackWithoutTheCookie_IsRefusedSayingWhy_ThenTheSameCallbackWithTheCookieSucceeds()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        using var cookieless = _host.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var callback = await ApprovedCallbackAsync(browser, "acme");

        using var refused = await cookieless.GetAsync(callback);
        using var genuine = await browser.GetAsync(callback);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("data-code=\"browser_cookie_missing\"", html, StringComparison.Ordinal);
        Assert.Contains("in the same browser, at https://localhost", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        Assert.Contains("data-outcome=\"connected\"", await genuine.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, Sandbox.TokenRequests);
    }

    [Fact]
    public async Task Row39_CallbackFromAnotherBrowserOrForAnotherAccount_ConsumesNothing()
    {
        using var victim = _host.CreateNonRedirectingBrowser();
        using var attacker = _host.CreateNonRedirectingBrowser();
        await BrowserFlow.StartAsync(attacker, "globex"); // the attacker's browser has a binding cookie, just not the victim's
        var callback = await ApprovedCallbackAsync(victim, "acme");

        using var otherBrowser = await attacker.GetAsync(callback);
        using var otherAccount = await victim.GetAsync(BrowserFlow.WithQuery(callback, "account", "globex"));
        using var genuine = await victim.GetAsync(callback);

        Assert.Equal(HttpStatusCode.BadRequest, otherBrowser.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherAccount.StatusCode);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        Assert.Equal(1, Sandbox.TokenRequests);
        Assert.Equal(1, Database.Count(_host, "installations"));
    }

    [Fact]
    public async Task Reload_OfACompletedCallbackInTheSameBrowser_ShowsConnectedWithoutASecondExchange()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        var callback = await ApprovedCallbackAsync(browser, "acme");
        (await browser.GetAsync(callback)).Dispose();

        using var reload = await browser.GetAsync(callback);

        Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
        var html = await reload.Content.ReadAsStringAsync();
        Assert.Contains("data-outcome=\"connected\"", html, StringComparison.Ordinal);
        Assert.Contains("<strong>acme</strong>", html, StringComparison.Ordinal);
        Assert.Equal(1, Sandbox.TokenRequests);
    }

    [Fact]
    public async Task Reload_OfAnotherBrowsersCompletedCallback_ShowsNothingAboutIt()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        using var stranger = _host.CreateNonRedirectingBrowser();
        await BrowserFlow.StartAsync(stranger, "globex");
        var callback = await ApprovedCallbackAsync(browser, "acme");
        using var done = await browser.GetAsync(callback);
        var marker = done.Headers.GetValues("Set-Cookie").Single(c => c.Contains("-done=", StringComparison.Ordinal)).Split(';')[0];

        using var reload = await stranger.GetAsync(callback);
        using var withCopiedMarker = new HttpRequestMessage(HttpMethod.Get, callback);
        withCopiedMarker.Headers.Add("Cookie", marker); // the marker alone, without the browser secret it is keyed by
        using var cookieless = _host.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        using var copied = await cookieless.SendAsync(withCopiedMarker);

        Assert.Equal(HttpStatusCode.BadRequest, reload.StatusCode);
        Assert.DoesNotContain("connected", await reload.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, copied.StatusCode);
        Assert.DoesNotContain("data-outcome=\"connected\"", await copied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose() => _host.Dispose();

    private static async Task<Uri> ApprovedCallbackAsync(HttpClient browser, string account) =>
        await BrowserFlow.DecideAsync(browser, await BrowserFlow.StartAsync(browser, account), allow: true);
}

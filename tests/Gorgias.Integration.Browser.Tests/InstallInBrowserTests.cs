using System.Net;
using System.Text.Json;
using Gorgias.Integration.Browser.Tests.Support;
using Microsoft.Playwright;

namespace Gorgias.Integration.Browser.Tests;

/// <summary>
/// The install flow in headless Chromium against the real Host on a socket: start page → sandbox consent → callback.
/// Each test uses its own account, so the tests share one Host and stay independent of each other's order.
/// </summary>
public sealed class InstallInBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string CookieName = "__Host-gorgias-install";

    // Navigations wait only until the response is committed; the element waits that follow see the page's content.
    // Waiting for the "load" lifecycle event timed out now and then under CI load although the page had arrived.
    private static readonly PageWaitForURLOptions Committed = new() { WaitUntil = WaitUntilState.Commit };

    [Fact]
    public async Task Install_Approved_InARealBrowser_LandsOnTheConnectedPage()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await StartInstallAsync(page, "acme");

        var callback = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#allow"), IsCallback);
        await page.WaitForURLAsync("**/oauth/callback?**", Committed);

        Assert.Equal((int)HttpStatusCode.OK, callback.Status);
        var outcome = page.Locator("#outcome");
        Assert.Equal("connected", await outcome.GetAttributeAsync("data-outcome"));
        Assert.Contains("acme", await outcome.InnerTextAsync(), StringComparison.Ordinal);
        await AssertScreenshotAsync(page, "approved.png");
        using var admin = fixture.Host.CreateAdmin();
        using var response = await admin.GetAsync(new Uri("/installations/acme", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Active", json.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Install_Denied_InARealBrowser_LandsOnTheDeclinedPage()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await StartInstallAsync(page, "globex");

        var callback = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#deny"), IsCallback);
        await page.WaitForURLAsync("**/oauth/callback?**", Committed);

        Assert.Equal((int)HttpStatusCode.OK, callback.Status);
        Assert.Equal("declined", await page.Locator("#outcome").GetAttributeAsync("data-outcome"));
        await AssertScreenshotAsync(page, "denied.png");
        using var admin = fixture.Host.CreateAdmin();
        using var response = await admin.GetAsync(new Uri("/installations/globex", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>
    /// SECURITY.md rows 9 and 39 in a real browser: an approved callback URL is worthless without the browser that
    /// started the install, and opening it elsewhere does not cancel that browser's install.
    /// </summary>
    [Fact]
    public async Task Callback_OpenedInAnotherBrowserContext_IsRejected_AndTheInstallingBrowserStillCompletes()
    {
        await using var victim = await fixture.NewContextAsync();
        var page = await victim.NewPageAsync();
        await StartInstallAsync(page, "initech");

        // Playwright does not route the target of a redirect, so catch the consent form's POST instead: send it,
        // keep the callback URL from its 302 and show a blank page rather than following it in this context.
        var callbackUrl = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/oauth/authorize/decision", async route =>
        {
            var decision = await route.FetchAsync(new RouteFetchOptions { MaxRedirects = 0 });
            callbackUrl.TrySetResult(decision.Headers.TryGetValue("location", out var location) ? location : $"no Location, status {decision.Status}");
            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/plain", Body = "callback captured" });
        });
        await page.ClickAsync("#allow");
        var callback = new Uri(fixture.Host.Origin, await callbackUrl.Task);
        Assert.Equal("/oauth/callback", callback.AbsolutePath);

        await using var attacker = await fixture.NewContextAsync();
        var attackerPage = await attacker.NewPageAsync();
        var response = await attackerPage.GotoAsync(callback.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Commit });

        Assert.NotNull(response);
        Assert.Equal((int)HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("failed", await attackerPage.Locator("#outcome").GetAttributeAsync("data-outcome"));
        Assert.Equal("browser_cookie_missing", await attackerPage.Locator("#outcome").GetAttributeAsync("data-code"));
        Assert.Empty(await attacker.CookiesAsync());

        // The refused attempt consumed nothing: the browser that started the install finishes it.
        var late = await page.GotoAsync(callback.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        Assert.NotNull(late);
        Assert.Equal((int)HttpStatusCode.OK, late.Status);
        Assert.Equal("connected", await page.Locator("#outcome").GetAttributeAsync("data-outcome"));
        using var admin = fixture.Host.CreateAdmin();
        using var installation = await admin.GetAsync(new Uri("/installations/initech", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, installation.StatusCode);
    }

    [Fact]
    public async Task Reload_OfTheConnectedPage_StillShowsConnected()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await StartInstallAsync(page, "hooli");
        await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#allow"), IsCallback);
        await page.Locator("#outcome").WaitForAsync();

        var reload = await page.ReloadAsync(new PageReloadOptions { WaitUntil = WaitUntilState.Commit });

        Assert.NotNull(reload);
        Assert.Equal((int)HttpStatusCode.OK, reload.Status);
        Assert.Equal("connected", await page.Locator("#outcome").GetAttributeAsync("data-outcome"));
    }

    /// <summary>
    /// Chromium compiles <c>pattern</c> with the <c>v</c> flag; an expression invalid under it is ignored, and the
    /// browser would then accept any account.
    /// </summary>
    [Theory]
    [InlineData("acme", true)]
    [InlineData("acme-2", true)]
    [InlineData("a", true)]
    [InlineData("not valid!", false)]
    [InlineData("-acme", false)]
    [InlineData("acme-", false)]
    [InlineData("acme.example", false)]
    public async Task StartPage_AccountField_IsCheckedByTheBrowser(string account, bool valid)
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });

        await page.FillAsync("#account", account);

        Assert.Equal(valid, await page.EvalOnSelectorAsync<bool>("#account", "e => e.checkValidity()"));
    }

    /// <summary>Chromium treats http://127.0.0.1 as a secure context, so it keeps the __Host- Secure cookie there.</summary>
    [Fact]
    public async Task StartingAnInstall_SetsTheBindingCookie_HttpOnlySecureLax()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();

        await StartInstallAsync(page, "umbrella");

        var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == CookieName);
        Assert.True(cookie.HttpOnly);
        Assert.True(cookie.Secure);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        Assert.Equal("/", cookie.Path);
        Assert.Equal("127.0.0.1", cookie.Domain);
        Assert.False(await page.EvaluateAsync<bool>($"document.cookie.includes('{CookieName}')"), "the binding cookie is readable from script");
    }

    /// <summary>Start page → fill the account → Install; returns once the sandbox's consent page is shown.</summary>
    private static async Task StartInstallAsync(IPage page, string account)
    {
        await page.GotoAsync("/", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await page.FillAsync("#account", account);
        await page.ClickAsync("#install");
        await page.WaitForURLAsync($"**/sandbox/{account}/oauth/authorize?**", Committed);
        await page.Locator("#allow").WaitForAsync();
    }

    private static bool IsCallback(IResponse response) =>
        new Uri(response.Url).AbsolutePath == "/oauth/callback" && response.Request.IsNavigationRequest;

    private static async Task AssertScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(BrowserFixture.ScreenshotFolder, name);
        Directory.CreateDirectory(BrowserFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path) is { Exists: true, Length: > 0 }, $"no screenshot at {path}");
    }
}

using Gorgias.Integration.Browser.Tests.Support;
using Gorgias.Integration.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Gorgias.Integration.Browser.Tests;

/// <summary>
/// The operator's page in headless Chromium against the real Host on a socket: sign in with the admin key, see an
/// installation, refresh it and uninstall it from the page. Each test installs its own accounts through the start
/// page, so the tests share one Host and stay independent of each other's order. Screenshots go to the artifacts.
/// </summary>
public sealed class AdminPageInBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly PageWaitForURLOptions Committed = new() { WaitUntil = WaitUntilState.Commit };

    [Fact]
    public async Task AdminPage_AfterAnInstall_AsksForTheKey_ThenShowsTheRowActive()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await WideAsync(context);
        await InstallAsync(page, "soylent");
        await InstallAsync(page, "tyrell");

        await page.GotoAsync("/admin", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await page.Locator("#sign-in-form").WaitForAsync();
        await AssertScreenshotAsync(page, "admin-sign-in.png");
        await SignInAsync(page);

        var row = page.Locator("#row-soylent");
        Assert.Equal("Active", await row.GetAttributeAsync("data-status"));
        Assert.Equal("Active", await row.Locator(".status").InnerTextAsync());
        Assert.Matches("^in 23 h 59 min$|^in 24 h$", await row.Locator(".expires time").InnerTextAsync());
        Assert.Contains("tickets:read", await row.Locator(".scopes").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Active", await page.Locator("#row-tyrell").GetAttributeAsync("data-status"));
        var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == "gorgias-admin");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/admin", cookie.Path);
        Assert.False(await page.EvaluateAsync<bool>("document.cookie.includes('gorgias-admin')"), "the session cookie is readable from script");
        await AssertScreenshotAsync(page, "admin.png");
    }

    [Fact]
    public async Task RefreshNow_FromThePage_ReachesTheStandIn_AndTheRowShowsTheNewLastRefresh()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await WideAsync(context);
        await InstallAsync(page, "hooli");
        await page.GotoAsync("/admin/sign-in", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await SignInAsync(page);
        var row = page.Locator("#row-hooli");
        var issuedBefore = await row.Locator(".refreshed time").GetAttributeAsync("datetime");
        var expiresBefore = DateTimeOffset.Parse((await row.Locator(".expires time").GetAttributeAsync("datetime"))!, System.Globalization.CultureInfo.InvariantCulture);
        var monitor = fixture.Host.Services.GetRequiredService<SandboxMonitor>();
        var refreshes = monitor.TokenRequestsFor("refresh_token");

        await page.ClickAsync("#refresh-hooli");
        await page.Locator("#flash").WaitForAsync();

        Assert.StartsWith("Refreshed hooli: the access token now expires at ", await page.Locator("#flash").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(refreshes + 1, monitor.TokenRequestsFor("refresh_token"));
        Assert.EndsWith("/admin", page.Url, StringComparison.Ordinal);
        var issuedAfter = await page.Locator("#row-hooli .refreshed time").GetAttributeAsync("datetime");
        var expiresAfter = DateTimeOffset.Parse((await page.Locator("#row-hooli .expires time").GetAttributeAsync("datetime"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(issuedBefore, issuedAfter);
        Assert.True(expiresAfter >= expiresBefore, $"the expiry went back from {expiresBefore:O} to {expiresAfter:O}");
        await AssertScreenshotAsync(page, "admin-refreshed.png");

        // Reloading the page does not repeat the refresh (POST-redirect-GET), and the status line is gone.
        await page.ReloadAsync(new PageReloadOptions { WaitUntil = WaitUntilState.Commit });
        await page.Locator("#row-hooli").WaitForAsync();
        Assert.Equal(0, await page.Locator("#flash").CountAsync());
        Assert.Equal(refreshes + 1, monitor.TokenRequestsFor("refresh_token"));
    }

    [Fact]
    public async Task Uninstall_FromThePage_AsksForConfirmation_ThenShowsTheRowUninstalled()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await WideAsync(context);
        await InstallAsync(page, "wonka");
        await page.GotoAsync("/admin/sign-in", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await SignInAsync(page);
        var monitor = fixture.Host.Services.GetRequiredService<SandboxMonitor>();
        var revocations = monitor.Revocations;

        await page.ClickAsync("#uninstall-wonka");
        await page.Locator("#confirm-uninstall").WaitForAsync();
        Assert.Equal(revocations, monitor.Revocations);
        await AssertScreenshotAsync(page, "admin-uninstall-confirm.png");
        await page.ClickAsync("#confirm-uninstall");
        await page.Locator("#flash").WaitForAsync();

        Assert.Equal("Uninstalled wonka: the refresh token is revoked at Gorgias.", await page.Locator("#flash").InnerTextAsync());
        Assert.Equal("Uninstalled", await page.Locator("#row-wonka").GetAttributeAsync("data-status"));
        Assert.Equal(0, await page.Locator("#refresh-wonka").CountAsync());
        Assert.Equal(revocations + 1, monitor.Revocations);
        await AssertScreenshotAsync(page, "admin-uninstalled.png");
    }

    /// <summary>A page as wide as an operator's screen, so the screenshots show the table as it is used.</summary>
    private static async Task<IPage> WideAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(1280, 720);
        return page;
    }

    /// <summary>Start page → account → Install → Allow; returns on the connected page.</summary>
    private static async Task InstallAsync(IPage page, string account)
    {
        await page.GotoAsync("/", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await page.FillAsync("#account", account);
        await page.ClickAsync("#install");
        await page.WaitForURLAsync($"**/sandbox/{account}/oauth/authorize?**", Committed);
        await page.ClickAsync("#allow");
        await page.WaitForURLAsync("**/oauth/callback?**", Committed);
        Assert.Equal("connected", await page.Locator("#outcome").GetAttributeAsync("data-outcome"));
    }

    /// <summary>Fills the sign-in form shown on the current page and waits for the installations table.</summary>
    private static async Task SignInAsync(IPage page)
    {
        await page.FillAsync("#key", KestrelHost.AdminKey);
        await page.ClickAsync("#sign-in");
        await page.Locator("#installations").WaitForAsync();
    }

    private static async Task AssertScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(BrowserFixture.ScreenshotFolder, name);
        Directory.CreateDirectory(BrowserFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path) is { Exists: true, Length: > 0 }, $"no screenshot at {path}");
    }
}

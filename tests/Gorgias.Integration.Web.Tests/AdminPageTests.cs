using System.Net;
using System.Text.RegularExpressions;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Sandbox;
using Gorgias.Integration.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Web.Tests;

/// <summary>What the operator's page shows and does: rows, keyset pages, refresh, the account API, and never a token.</summary>
public sealed partial class AdminPageTests : IDisposable
{
    private readonly IntegrationHost _host = new();

    [Fact]
    public async Task Page_AfterAnInstall_ShowsTheRowsStatusScopesExpiryAndLastRefresh()
    {
        using var installer = _host.CreateNonRedirectingBrowser();
        (await BrowserFlow.InstallAsync(installer, "acme")).Dispose();
        using var browser = new AdminPageBrowser(_host);
        await browser.SignInAsync();

        var html = await browser.PageAsync("/admin");

        var row = RowOf(html, "acme");
        Assert.Contains("data-status=\"Active\"", row, StringComparison.Ordinal);
        Assert.Contains("tickets:read", row, StringComparison.Ordinal);
        Assert.Matches("class=\"expires\"><time datetime=\"[^\"]+\" title=\"2026-12-01 12:00:00 UTC\">in 24 h</time>", row);
        Assert.Contains("class=\"refreshed\"><time datetime=\"2026-11-30T12:00:00", row, StringComparison.Ordinal);
        Assert.Contains(">now</time>", row, StringComparison.Ordinal);
        Assert.Contains("<td class=\"failures\">0</td>", row, StringComparison.Ordinal);
        Assert.Contains("id=\"refresh-acme\"", row, StringComparison.Ordinal);
        Assert.Contains("href=\"/admin/installations/acme/uninstall\"", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshNow_ReachesGorgias_RedirectsBackWithAStatusLine_AndTheRowShowsTheNewTimes()
    {
        using var installer = _host.CreateNonRedirectingBrowser();
        (await BrowserFlow.InstallAsync(installer, "acme")).Dispose();
        using var browser = new AdminPageBrowser(_host);
        await browser.SignInAsync();
        var monitor = _host.Services.GetRequiredService<SandboxMonitor>();
        var before = monitor.TokenRequestsFor("refresh_token");
        var page = await browser.PageAsync("/admin");
        _host.Time.Advance(TimeSpan.FromMinutes(20));

        using var refreshed = await browser.PostAsync("/admin/installations/acme/refresh", AdminPageBrowser.CsrfOf(page));
        var after = await browser.PageAsync(refreshed.Headers.Location!.OriginalString);
        var reloaded = await browser.PageAsync("/admin");

        Assert.Equal((HttpStatusCode.SeeOther, "/admin"), (refreshed.StatusCode, refreshed.Headers.Location?.OriginalString));
        Assert.Equal(before + 1, monitor.TokenRequestsFor("refresh_token"));
        Assert.Contains("id=\"flash\" class=\"flash ok\">Refreshed acme: the access token now expires at 2026-12-01 12:20:00 UTC.", after, StringComparison.Ordinal);
        Assert.Contains("title=\"2026-12-01 12:20:00 UTC\">in 24 h</time>", RowOf(after, "acme"), StringComparison.Ordinal);
        Assert.Contains("class=\"refreshed\"><time datetime=\"2026-11-30T12:20:00", RowOf(after, "acme"), StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"flash\"", reloaded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountApi_ShowsTheJsonOfGorgiasAccount_AndAnUnknownAccountSaysWhy()
    {
        using var installer = _host.CreateNonRedirectingBrowser();
        (await BrowserFlow.InstallAsync(installer, "acme")).Dispose();
        using var browser = new AdminPageBrowser(_host);
        await browser.SignInAsync();
        var monitor = _host.Services.GetRequiredService<SandboxMonitor>();

        var html = await browser.PageAsync("/admin/installations/acme/account");
        using var unknown = await browser.Client.GetAsync(new Uri("/admin/installations/nobody/account", UriKind.Relative));

        Assert.Contains("<pre id=\"api-result\">{&#xA;  &quot;domain&quot;: &quot;acme&quot;,&#xA;  &quot;status&quot;: &quot;active&quot;", html, StringComparison.Ordinal);
        Assert.Equal(1, monitor.ApiCalls);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("id=\"api-problem\"", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Row58_NoPage_EverRendersAStoredToken()
    {
        using var installer = _host.CreateNonRedirectingBrowser();
        (await BrowserFlow.InstallAsync(installer, "acme")).Dispose();
        using var browser = new AdminPageBrowser(_host);
        await browser.SignInAsync();
        var pages = new List<string> { await browser.PageAsync("/admin") };
        using (await browser.PostAsync("/admin/installations/acme/refresh", AdminPageBrowser.CsrfOf(pages[0])))
        {
        }

        pages.Add(await browser.PageAsync("/admin"));
        pages.Add(await browser.PageAsync("/admin/installations/acme/account"));
        pages.Add(await browser.PageAsync("/admin/installations/acme/uninstall"));
        var tokens = (await _host.Services.GetRequiredService<ITokenSetRepository>().FindAsync(AccountName.Parse("acme"), CancellationToken.None))!;

        Assert.Contains("Refreshed acme", pages[1], StringComparison.Ordinal);
        foreach (var html in pages)
        {
            Assert.DoesNotContain(tokens.AccessToken, html, StringComparison.Ordinal);
            Assert.DoesNotContain(tokens.RefreshToken, html, StringComparison.Ordinal);
            Assert.DoesNotContain(tokens.AccessToken[..20], html, StringComparison.Ordinal);
            Assert.DoesNotContain(IntegrationHost.AdminKey, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Paging_Over250Installations_ShowsEachExactlyOnce_InPagesOfTheAskedSize()
    {
        var repository = _host.Services.GetRequiredService<IInstallationRepository>();
        var accounts = Enumerable.Range(0, 250).Select(i => $"shop-{i:D3}").ToArray();
        foreach (var account in accounts.Reverse())
        {
            await repository.SaveAsync(Installation.Start(AccountName.Parse(account), _host.Time.GetUtcNow()), CancellationToken.None);
        }

        using var browser = new AdminPageBrowser(_host);
        await browser.SignInAsync();
        var seen = new List<string>();
        var sizes = new List<int>();
        string? next = "/admin?size=100";
        while (next is not null)
        {
            var html = await browser.PageAsync(next);
            var rows = RowId().Matches(html).Select(m => m.Groups[1].Value).ToList();
            seen.AddRange(rows);
            sizes.Add(rows.Count);
            next = NextPage().Match(html) is { Success: true } link ? WebUtility.HtmlDecode(link.Groups[1].Value) : null;
        }

        Assert.Equal([100, 100, 50], sizes);
        Assert.Equal(accounts, seen);
        Assert.Contains("id=\"first-page\"", await browser.PageAsync("/admin?after=shop-199&size=100"), StringComparison.Ordinal);
        Assert.Equal(50, RowId().Matches(await browser.PageAsync("/admin")).Count);
        using var bad = await browser.Client.GetAsync(new Uri("/admin?after=not%20an%20account", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    public void Dispose() => _host.Dispose();

    private static string RowOf(string html, string account)
    {
        var start = html.IndexOf($"<tr id=\"row-{account}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row for {account}:\n{html}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    [GeneratedRegex("<tr id=\"row-([a-z0-9-]+)\"")]
    private static partial Regex RowId();

    [GeneratedRegex("<a id=\"next-page\" href=\"([^\"]+)\"")]
    private static partial Regex NextPage();
}

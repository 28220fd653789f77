using System.Net;
using Gorgias.Integration.Sandbox;
using Gorgias.Integration.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Web.Tests;

/// <summary>
/// The operator's page's protection (SECURITY.md section M): a sign-in with the admin key, a short-lived
/// Data-Protected cookie that is not the key, an anti-forgery token on every action, a limit on sign-in attempts.
/// </summary>
public sealed class AdminPageSecurityTests : IDisposable
{
    private readonly IntegrationHost _host = new();

    [Fact]
    public async Task Admin_WithoutASession_SendsToSignIn_AndAnActionChangesNothing()
    {
        using var installer = _host.CreateNonRedirectingBrowser();
        (await BrowserFlow.InstallAsync(installer, "acme")).Dispose();
        var monitor = _host.Services.GetRequiredService<SandboxMonitor>();
        var refreshes = monitor.TokenRequestsFor("refresh_token");
        using var browser = new AdminPageBrowser(_host);

        using var page = await browser.Client.GetAsync(new Uri("/admin", UriKind.Relative));
        using var refresh = await browser.PostAsync("/admin/installations/acme/refresh", "made-up");
        using var uninstall = await browser.PostAsync("/admin/installations/acme/uninstall", "made-up");
        var signIn = await browser.PageAsync("/admin/sign-in");

        Assert.Equal((HttpStatusCode.Redirect, "/admin/sign-in"), (page.StatusCode, page.Headers.Location?.OriginalString));
        Assert.Equal((HttpStatusCode.SeeOther, "/admin/sign-in"), (refresh.StatusCode, refresh.Headers.Location?.OriginalString));
        Assert.Equal(HttpStatusCode.SeeOther, uninstall.StatusCode);
        Assert.Contains("id=\"sign-in-form\"", signIn, StringComparison.Ordinal);
        Assert.DoesNotContain("acme", signIn, StringComparison.Ordinal);
        Assert.Equal(refreshes, monitor.TokenRequestsFor("refresh_token"));
        Assert.Equal(0, monitor.Revocations);
    }

    [Fact]
    public async Task Row56_SignIn_SetsAShortLivedHttpOnlyStrictSecureCookie_ThatIsNotTheKey_AndSignOutClearsIt()
    {
        using var browser = new AdminPageBrowser(_host);

        using var signedIn = await browser.SignInAsync(IntegrationHost.AdminKey);

        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("gorgias-admin=", StringComparison.Ordinal));
        var attributes = cookie.Split("; ").Skip(1).Select(a => a.ToLowerInvariant()).ToArray();
        Assert.Contains("httponly", attributes);
        Assert.Contains("secure", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/admin", attributes);
        Assert.Contains("max-age=1800", attributes);
        Assert.DoesNotContain(IntegrationHost.AdminKey, cookie, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(IntegrationHost.AdminKey)), cookie, StringComparison.Ordinal);
        var html = await browser.PageAsync("/admin");
        Assert.Contains("id=\"installations\"", html, StringComparison.Ordinal);

        using var signedOut = await browser.PostAsync("/admin/sign-out", AdminPageBrowser.CsrfOf(html));
        Assert.Equal((HttpStatusCode.SeeOther, "/admin/sign-in"), (signedOut.StatusCode, signedOut.Headers.Location?.OriginalString));
        using var after = await browser.Client.GetAsync(new Uri("/admin", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task Row56_AStolenCookie_StopsWorkingAfterThirtyMinutes_AndAnAlteredOneNeverWorks()
    {
        using var browser = new AdminPageBrowser(_host);
        using var signedIn = await browser.SignInAsync(IntegrationHost.AdminKey);
        var value = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("gorgias-admin=", StringComparison.Ordinal)).Split(';')[0]["gorgias-admin=".Length..];
        using var thief = _host.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });

        Assert.Equal(HttpStatusCode.OK, await GetWithCookieAsync(thief, value));
        var altered = value[..^2] + (value[^2] == 'A' ? "B" : "A") + value[^1];
        Assert.Equal(HttpStatusCode.Redirect, await GetWithCookieAsync(thief, altered));
        Assert.Equal(HttpStatusCode.Redirect, await GetWithCookieAsync(thief, IntegrationHost.AdminKey));

        _host.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, await GetWithCookieAsync(thief, value));
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Redirect, await GetWithCookieAsync(thief, value));
    }

    [Fact]
    public async Task Row56_RotatingTheAdminKey_EndsEverySession_WhileTheSameKeyOnAnotherInstanceKeepsIt()
    {
        var keys = Directory.CreateTempSubdirectory("gorgias-admin-keys-").FullName;
        try
        {
            var rotated = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            using var first = new IntegrationHost(new Dictionary<string, string?> { ["DataProtection:KeysPath"] = keys });
            using var same = new IntegrationHost(new Dictionary<string, string?> { ["DataProtection:KeysPath"] = keys });
            using var other = new IntegrationHost(new Dictionary<string, string?> { ["DataProtection:KeysPath"] = keys, ["Integration:AdminApiKey"] = rotated });
            using var browser = new AdminPageBrowser(first);
            using var signedIn = await browser.SignInAsync(IntegrationHost.AdminKey);
            var value = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("gorgias-admin=", StringComparison.Ordinal)).Split(';')[0]["gorgias-admin=".Length..];
            using var toSame = same.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
            using var toOther = other.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });

            Assert.Equal(HttpStatusCode.OK, await GetWithCookieAsync(toSame, value));
            Assert.Equal(HttpStatusCode.Redirect, await GetWithCookieAsync(toOther, value));
        }
        finally
        {
            Directory.Delete(keys, recursive: true);
        }
    }

    [Fact]
    public async Task Row55_AForgedAction_WithoutTheSessionsAntiForgeryToken_Is400_AndUninstallsNothing()
    {
        using var installer = _host.CreateNonRedirectingBrowser();
        (await BrowserFlow.InstallAsync(installer, "acme")).Dispose();
        using var victim = new AdminPageBrowser(_host);
        await victim.SignInAsync();
        using var attacker = new AdminPageBrowser(_host);
        await attacker.SignInAsync();
        var attackersToken = AdminPageBrowser.CsrfOf(await attacker.PageAsync("/admin"));
        var monitor = _host.Services.GetRequiredService<SandboxMonitor>();

        // A cross-site form carries the victim's cookie (were it not SameSite=Strict) but not the victim's page token.
        using var none = await victim.PostAsync("/admin/installations/acme/uninstall", csrf: null);
        using var wrong = await victim.PostAsync("/admin/installations/acme/uninstall", attackersToken);
        using var refresh = await victim.PostAsync("/admin/installations/acme/refresh", "");

        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Contains("anti-forgery", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, monitor.Revocations);
        Assert.Contains("data-status=\"Active\"", await victim.PageAsync("/admin"), StringComparison.Ordinal);

        var confirmation = await victim.PageAsync("/admin/installations/acme/uninstall");
        using var confirmed = await victim.PostAsync("/admin/installations/acme/uninstall", AdminPageBrowser.CsrfOf(confirmation));
        Assert.Equal((HttpStatusCode.SeeOther, "/admin"), (confirmed.StatusCode, confirmed.Headers.Location?.OriginalString));
        Assert.Equal(1, monitor.Revocations);
        Assert.Contains("data-status=\"Uninstalled\"", await victim.PageAsync("/admin"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Row57_SignIn_WithAWrongKey_IsRefused_AndAfterFiveAttemptsFromOneAddressEvenTheRightKeyWaits()
    {
        using var browser = new AdminPageBrowser(_host);

        for (var i = 0; i < 5; i++)
        {
            using var refused = await browser.SignInAsync(IntegrationHost.AdminKey + "x", peer: "203.0.113.7");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.DoesNotContain(refused.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("gorgias-admin=", StringComparison.Ordinal));
            Assert.Contains("That is not the admin key.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var limited = await browser.SignInAsync(IntegrationHost.AdminKey, peer: "203.0.113.7");
        using var other = await browser.SignInAsync(IntegrationHost.AdminKey, peer: "198.51.100.4");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(HttpStatusCode.SeeOther, other.StatusCode);
        Assert.Contains(_host.Logs, line => line.Contains("sign-in refused", StringComparison.Ordinal) && line.Contains("203.0.113.7", StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Logs, line => line.Contains(IntegrationHost.AdminKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Row59_EveryAdminPage_AllowsNoScriptNoFramingAndNoCaching()
    {
        using var browser = new AdminPageBrowser(_host);
        await browser.SignInAsync();

        foreach (var path in new[] { "/admin/sign-in", "/admin", "/admin/installations/acme/uninstall" })
        {
            using var response = await browser.Client.GetAsync(new Uri(path, UriKind.Relative));
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            var html = await response.Content.ReadAsStringAsync();
            Assert.StartsWith("default-src 'none'; style-src 'nonce-", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("script-src", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
            Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        }
    }

    public void Dispose() => _host.Dispose();

    private static async Task<HttpStatusCode> GetWithCookieAsync(HttpClient client, string ticket)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/admin", UriKind.Relative));
        request.Headers.Add("Cookie", "gorgias-admin=" + ticket);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}

using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Gorgias.Integration.Application.Common.Security;
using Microsoft.AspNetCore.Http;

namespace Gorgias.Integration.Web.Http;

/// <summary>
/// The browser secret an install flow is bound to (SECURITY.md row 9): an HttpOnly, Secure, SameSite=Lax cookie.
/// Lax, not Strict: the return from Gorgias is a cross-site top-level navigation. One secret serves every flow of
/// that browser, so parallel installs for different accounts do not overwrite each other (row 12).
/// </summary>
internal static class BrowserBinding
{
    private static readonly TimeSpan CompletedMarkerLifetime = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The browser's secret, created when absent. The cookie is set again on every install, the same value with a fresh
    /// expiry, so an install started late in the cookie's life does not lose it mid-consent.
    /// </summary>
    public static string GetOrCreate(HttpContext context, string cookieName)
    {
        var browserId = Read(context, cookieName) ?? OAuthSecrets.NewRandomValue();
        context.Response.Cookies.Append(cookieName, browserId, Options(TimeSpan.FromHours(1)));
        return browserId;
    }

    public static string? Read(HttpContext context, string cookieName) =>
        context.Request.Cookies.TryGetValue(cookieName, out var value) && value is { Length: > 0 and <= 256 } ? value : null;

    /// <summary>
    /// Remembers in this browser that it completed the flow of <paramref name="state"/>, so that a reload of the callback
    /// shows the connected page. Only an HMAC keyed by the browser's secret is stored, in the browser itself: nothing on
    /// the server, and a stranger who saw the callback URL can neither forge nor use it.
    /// </summary>
    public static void MarkCompleted(HttpContext context, string cookieName, string browserId, string account, string state) =>
        context.Response.Cookies.Append(CompletedCookieName(cookieName), CompletedMarker(browserId, account, state), Options(CompletedMarkerLifetime));

    /// <summary>True when this browser completed the flow of <paramref name="state"/> for <paramref name="account"/> within the last minutes.</summary>
    public static bool HasCompleted(HttpContext context, string cookieName, string browserId, string account, string state) =>
        context.Request.Cookies.TryGetValue(CompletedCookieName(cookieName), out var marker)
        && ConstantTime.AreEqual(marker, CompletedMarker(browserId, account, state));

    private static string CompletedCookieName(string cookieName) => cookieName + "-done";

    private static string CompletedMarker(string browserId, string account, string state) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(browserId), Encoding.UTF8.GetBytes(account.ToLowerInvariant() + "\n" + state)));

    private static CookieOptions Options(TimeSpan maxAge) => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        IsEssential = true,
        MaxAge = maxAge,
    };
}

using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Gorgias.Integration.Web.Http;

/// <summary>
/// The browser secret an install flow is bound to (SECURITY.md row 9): an HttpOnly, Secure, SameSite=Lax cookie.
/// Lax, not Strict: the return from Gorgias is a cross-site top-level navigation. One secret serves every flow of
/// that browser, so parallel installs for different accounts do not overwrite each other (row 12).
/// </summary>
internal static class BrowserBinding
{
    public static string GetOrCreate(HttpContext context, string cookieName)
    {
        if (Read(context, cookieName) is { } existing)
        {
            return existing;
        }

        var created = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        context.Response.Cookies.Append(cookieName, created, new CookieOptions
        {
            HttpOnly = true,
            Secure = true,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            IsEssential = true,
            MaxAge = TimeSpan.FromHours(1),
        });
        return created;
    }

    public static string? Read(HttpContext context, string cookieName) =>
        context.Request.Cookies.TryGetValue(cookieName, out var value) && value is { Length: > 0 and <= 256 } ? value : null;
}

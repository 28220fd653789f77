using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Gorgias.Integration.Application.Common.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace Gorgias.Integration.Host.Admin;

/// <summary>
/// The operator's page session: after a sign-in with the admin key, an HttpOnly, SameSite=Strict cookie (Secure over
/// https) holds a Data-Protected ticket, never the key. The ticket carries its expiry, a random anti-forgery token that
/// every form posts back, and the SHA-256 of the admin key it was issued for, so rotating
/// <c>Integration:AdminApiKey</c> ends every session at once.
/// </summary>
internal sealed class AdminSession
{
    public const string CookieName = "gorgias-admin";
    public const string FlashCookieName = "gorgias-admin-flash";
    public const string CookiePath = "/admin";

    /// <summary>Short: a stolen cookie is worth at most this long, and there is no server-side session to revoke.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private const int TokenBytes = 32;

    private static readonly TimeSpan FlashLifetime = TimeSpan.FromMinutes(1);

    private readonly IDataProtector _tickets;
    private readonly IDataProtector _flashes;
    private readonly byte[] _keyHash;
    private readonly TimeProvider _time;

    public AdminSession(IDataProtectionProvider protection, HostSettings settings, TimeProvider time)
    {
        _tickets = protection.CreateProtector("Gorgias.Integration.Host.AdminPage.Session.v1");
        _flashes = protection.CreateProtector("Gorgias.Integration.Host.AdminPage.Flash.v1");
        _keyHash = ConstantTime.Sha256(settings.AdminApiKey);
        _time = time;
    }

    /// <summary>True when <paramref name="presented"/> is the admin key; hashing both sides hides the key's length too.</summary>
    public bool IsAdminKey(string? presented) => ConstantTime.MatchesSha256(presented, _keyHash);

    /// <summary>Starts a session: writes the ticket cookie with a fresh anti-forgery token.</summary>
    public void SignIn(HttpContext context)
    {
        var expires = _time.GetUtcNow() + Lifetime;
        var ticket = new byte[8 + TokenBytes + _keyHash.Length];
        BinaryPrimitives.WriteInt64BigEndian(ticket, expires.ToUnixTimeMilliseconds());
        RandomNumberGenerator.Fill(ticket.AsSpan(8, TokenBytes));
        _keyHash.CopyTo(ticket, 8 + TokenBytes);
        context.Response.Cookies.Append(CookieName, WebEncoders.Base64UrlEncode(_tickets.Protect(ticket)), CookieOptions(context, Lifetime));
    }

    /// <summary>Ends the session in this browser. A copy taken elsewhere lasts until its expiry or a key rotation.</summary>
    public static void SignOut(HttpContext context) => context.Response.Cookies.Delete(CookieName, CookieOptions(context, TimeSpan.Zero));

    /// <summary>The anti-forgery token of the request's valid session, or null when there is none (missing, forged, expired, old key).</summary>
    public string? Current(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var cookie) || string.IsNullOrEmpty(cookie))
        {
            return null;
        }

        byte[] ticket;
        try
        {
            ticket = _tickets.Unprotect(WebEncoders.Base64UrlDecode(cookie));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return null;
        }

        if (ticket.Length != 8 + TokenBytes + _keyHash.Length
            || !ConstantTime.AreEqual(ticket.AsSpan(8 + TokenBytes), _keyHash)
            || DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(ticket)) <= _time.GetUtcNow())
        {
            return null;
        }

        return WebEncoders.Base64UrlEncode(ticket, 8, TokenBytes);
    }

    /// <summary>True when the form's anti-forgery token is the session's, compared in constant time.</summary>
    public static bool IsFormFromThisSession(string session, string? posted) => ConstantTime.AreEqual(session, posted);

    /// <summary>Keeps a status line for the next page only (POST-redirect-GET); encrypted, so no one else can plant one.</summary>
    public void Flash(HttpContext context, bool success, string message) =>
        context.Response.Cookies.Append(FlashCookieName,
            WebEncoders.Base64UrlEncode(_flashes.Protect(Encoding.UTF8.GetBytes((success ? "1" : "0") + message))),
            CookieOptions(context, FlashLifetime));

    /// <summary>The status line the last action left, once: reading it clears it.</summary>
    public (bool Success, string Message)? TakeFlash(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(FlashCookieName, out var cookie) || string.IsNullOrEmpty(cookie))
        {
            return null;
        }

        context.Response.Cookies.Delete(FlashCookieName, CookieOptions(context, TimeSpan.Zero));
        try
        {
            var text = Encoding.UTF8.GetString(_flashes.Unprotect(WebEncoders.Base64UrlDecode(cookie)));
            return text.Length > 0 ? (text[0] == '1', text[1..]) : null;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return null;
        }
    }

    private static CookieOptions CookieOptions(HttpContext context, TimeSpan maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = CookiePath,
        MaxAge = maxAge,
        IsEssential = true,
    };
}

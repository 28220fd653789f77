using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.WebUtilities;

namespace Gorgias.Integration.Host.Admin;

/// <summary>
/// The operator's pages' frame: one inline style sheet allowed by a per-response nonce, no script, no external asset,
/// and headers that keep the pages out of caches and frames. Every value goes through <see cref="E"/>.
/// </summary>
internal static class AdminHtml
{
    private const string Styles = """
        body{font-family:system-ui,sans-serif;margin:0;color:#1f2937;background:#f9fafb}
        header{display:flex;align-items:center;justify-content:space-between;padding:.75rem 1.5rem;background:#111827;color:#f9fafb}
        header h1{font-size:1.1rem;margin:0}main{padding:1rem 1.5rem;max-width:90rem}
        table{border-collapse:collapse;width:100%;background:#fff;font-size:.875rem}
        th,td{border-bottom:1px solid #e5e7eb;padding:.45rem .5rem;text-align:left;vertical-align:top}td time{white-space:nowrap}
        th{background:#f3f4f6;font-weight:600}td.scopes{min-width:14rem;max-width:30rem;color:#4b5563;font-size:.75rem}
        .status{font-weight:600}.Active{color:#047857}.RefreshFailing{color:#b45309}.ReauthorizationRequired{color:#b91c1c}
        .Uninstalled,.Pending{color:#6b7280}.error{color:#b91c1c}
        form{display:inline;margin:0}button,.button{font:inherit;font-size:.8rem;padding:.2rem .6rem;border:1px solid #9ca3af;
        border-radius:.25rem;background:#fff;color:#111827;cursor:pointer;text-decoration:none;display:inline-block}
        button.danger{border-color:#b91c1c;color:#b91c1c}header button{background:#374151;color:#f9fafb;border-color:#6b7280}
        .flash{padding:.6rem 1rem;border-radius:.25rem;margin:0 0 1rem}.flash.ok{background:#d1fae5}.flash.failed{background:#fee2e2}
        nav.pages{margin:1rem 0;display:flex;gap:1rem}pre{background:#111827;color:#f9fafb;padding:1rem;overflow:auto;border-radius:.25rem}
        .signin{max-width:24rem;margin:4rem auto;background:#fff;padding:1.5rem;border:1px solid #e5e7eb;border-radius:.5rem}
        .signin input{width:100%;box-sizing:border-box;padding:.4rem;margin:.5rem 0 1rem;font:inherit}
        .actions{white-space:nowrap}.actions>*{margin-right:.25rem}small{color:#6b7280}
        """;

    /// <summary>HTML-encodes a value for text or a quoted attribute.</summary>
    public static string E(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    /// <summary>A whole page with <paramref name="status"/>; <paramref name="session"/> (the anti-forgery token) shows the sign-out button.</summary>
    public static IResult Page(HttpContext context, string title, string body, string? session, int status = StatusCodes.Status200OK)
    {
        var nonce = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy =
            $"default-src 'none'; style-src 'nonce-{nonce}'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        var signOut = session is null
            ? ""
            : $"""<form method="post" action="/admin/sign-out">{Csrf(session)}<button id="sign-out" type="submit">Sign out</button></form>""";
        var html = new StringBuilder()
            .Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title))
            .Append(" · Gorgias integration</title><link rel=\"icon\" href=\"data:,\"><meta name=\"viewport\" content=\"width=device-width\">")
            .Append("<style nonce=\"").Append(nonce).Append("\">").Append(Styles).Append("</style></head><body>")
            .Append("<header><h1>Gorgias integration · installations</h1>").Append(signOut).Append("</header><main>")
            .Append(body).Append("</main></body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>The hidden anti-forgery field every state-changing form posts.</summary>
    public static string Csrf(string session) => $"""<input type="hidden" name="csrf" value="{E(session)}">""";

    /// <summary>A time relative to <paramref name="now"/> (e.g. "in 23 h", "5 min ago") with the absolute UTC time as its title.</summary>
    public static string When(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } time)
        {
            return "—";
        }

        var absolute = time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        var delta = time - now;
        var span = delta.Duration();
        // Two units at most, truncated: "23 h 59 min" rather than a rounded "24 h" an hour before it is true.
        var amount = span.TotalSeconds < 60 ? $"{(int)span.TotalSeconds} s"
            : span.TotalMinutes < 60 ? $"{(int)span.TotalMinutes} min"
            : span.TotalHours < 48 ? $"{(int)span.TotalHours} h" + (span.Minutes > 0 ? $" {span.Minutes} min" : "")
            : $"{(int)span.TotalDays} d" + (span.Hours > 0 ? $" {span.Hours} h" : "");
        var relative = span < TimeSpan.FromSeconds(1) ? "now" : delta > TimeSpan.Zero ? $"in {amount}" : $"{amount} ago";
        return $"""<time datetime="{E(time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))}" title="{E(absolute)}">{E(relative)}</time>""";
    }
}

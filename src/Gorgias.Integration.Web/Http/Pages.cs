using System.Text;
using System.Text.Encodings.Web;
using Gorgias.Integration.Application.Common.Results;
using Microsoft.AspNetCore.Http;

namespace Gorgias.Integration.Web.Http;

/// <summary>The few HTML pages a browser sees during an install. Everything echoed is HTML-encoded.</summary>
internal static class Pages
{
    public static IResult Connected(string account) => Page(StatusCodes.Status200OK, "Connected",
        $"<p id=\"outcome\" data-outcome=\"connected\">The app is now connected to the Gorgias account <strong>{Encode(account)}</strong>.</p><p>You can close this window.</p>");

    public static IResult TooManyInstalls(HttpContext context, TimeSpan? retryAfter)
    {
        ErrorResults.SetRetryAfter(context, retryAfter);
        var wait = retryAfter is { } delay ? $"in {Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds))} seconds" : "in a minute";
        return Page(StatusCodes.Status429TooManyRequests, "Too many installs",
            $"<p id=\"outcome\" data-outcome=\"failed\" data-code=\"too_many_requests\">Too many installs were started from your network in a short time. Start the install again from Gorgias {wait}.</p>");
    }

    public static IResult ForError(HttpContext context, Error error, string? account)
    {
        ErrorResults.SetRetryAfter(context, error.RetryAfter);
        var installAgain = account is null
            ? ""
            : $"<p><a id=\"install-again\" href=\"install?account={Uri.EscapeDataString(account)}\">Install again</a></p>";
        var (title, outcome) = error.Kind == ErrorKind.Declined ? ("Not connected", "declined") : ("Something went wrong", "failed");
        return Page(ErrorResults.StatusCodeFor(error.Kind), title,
            $"<p id=\"outcome\" data-outcome=\"{outcome}\" data-code=\"{Encode(error.Code)}\">{Encode(error.Message)}</p>{installAgain}");
    }

    private static IResult Page(int statusCode, string title, string body)
    {
        var html = new StringBuilder(1024)
            .Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
            .Append("<title>").Append(Encode(title)).Append("</title><link rel=\"icon\" href=\"data:,\">")
            .Append("<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2937}h1{font-size:1.4rem}</style>")
            .Append("</head><body><h1>").Append(Encode(title)).Append("</h1>").Append(body).Append("</body></html>")
            .ToString();
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }

    private static string Encode(string value) => HtmlEncoder.Default.Encode(value);
}

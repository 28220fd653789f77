using System.Text;
using System.Text.Encodings.Web;

namespace Gorgias.Integration.Sandbox;

/// <summary>The sandbox's consent screen. Every value shown or carried is HTML-encoded: all of it came from the query string.</summary>
internal static class ConsentPage
{
    public static string Render(string account, AuthorizeRequest request)
    {
        var html = new StringBuilder(2048);
        html.Append("""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Authorize app - Gorgias sandbox</title>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; color: #1f2937; }
            code { background: #f3f4f6; padding: 0 .25rem; border-radius: .25rem; }
            button { font-size: 1rem; padding: .5rem 1.5rem; margin-right: .5rem; border-radius: .375rem; border: 1px solid #9ca3af; cursor: pointer; }
            #allow { background: #2563eb; color: #fff; border-color: #2563eb; }
            .note { color: #6b7280; font-size: .875rem; margin-top: 2rem; }
            </style>
            </head>
            <body>
            <main>
            """);
        html.Append("<h1>Connect an app to <strong>").Append(Encode(account)).Append("</strong></h1>\n");
        html.Append("<p>The app <code id=\"client-id\">").Append(Encode(request.ClientId))
            .Append("</code> asks for access to the Gorgias account <strong>").Append(Encode(account))
            .Append("</strong> with these scopes:</p>\n<ul id=\"scopes\">\n");
        foreach (var scope in request.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            html.Append("<li><code>").Append(Encode(scope)).Append("</code></li>\n");
        }

        html.Append("</ul>\n");

        // Relative to /{account}/oauth/authorize, so the form works under any path base and prefix.
        html.Append("<form method=\"post\" action=\"authorize/decision\">\n");
        foreach (var (name, value) in request.Parameters())
        {
            html.Append("<input type=\"hidden\" name=\"").Append(Encode(name)).Append("\" value=\"").Append(Encode(value)).Append("\">\n");
        }

        html.Append("""
            <button type="submit" id="allow" name="decision" value="allow">Allow</button>
            <button type="submit" id="deny" name="decision" value="deny">Deny</button>
            </form>
            <p class="note">This is the Gorgias.Integration sandbox, a local stand-in for Gorgias. Nothing here reaches Gorgias.</p>
            </main>
            </body>
            </html>
            """);
        return html.ToString();
    }

    private static string Encode(string value) => HtmlEncoder.Default.Encode(value);
}

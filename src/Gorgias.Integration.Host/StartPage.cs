using System.Text.Encodings.Web;
using Gorgias.Integration.Application.Installations.ListInstallations;
using Gorgias.Integration.Application.Options;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Host;

/// <summary>The Host's home page: what is running and, in sandbox mode, a form to try an install.</summary>
internal static class StartPage
{
    /// <summary>
    /// The page, or in sandbox mode a redirect to the canonical origin (Gorgias:RedirectUri's) when the browser came
    /// by another name: the install cookie is set per host name, so an install begun at 127.0.0.1 could never finish
    /// at localhost. The target comes from configuration only, never from the request's Host header.
    /// </summary>
    public static async Task<IResult> RenderAsync(HttpContext context, HostSettings settings)
    {
        var canonical = new Uri(settings.Gorgias.RedirectUri).GetLeftPart(UriPartial.Authority);
        if (settings.Sandbox && !string.Equals($"{context.Request.Scheme}://{context.Request.Host}", canonical, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Redirect(canonical + "/");
        }

        var tickets = settings.Sandbox
            ? await SandboxTickets.RenderAsync(
                context.RequestServices.GetRequiredService<Mediator.IMediator>(),
                context.RequestServices.GetRequiredService<Application.Abstractions.IGorgiasApiClient>(),
                context.RequestAborted)
            : "";
        var events = settings.Sandbox && context.RequestServices.GetRequiredService<IOptions<GorgiasEventOptions>>().Value.Enabled
            ? await RecentEvents.RenderAsync(
                context.RequestServices.GetRequiredService<Application.Abstractions.IEventInbox>(),
                (await context.RequestServices.GetRequiredService<Mediator.IMediator>().Send(new ListInstallationsQuery(), context.RequestAborted))
                    .Where(i => i.Status is Domain.Installations.InstallationStatus.Active or Domain.Installations.InstallationStatus.RefreshFailing)
                    .Select(i => i.Account.Value).ToList(),
                context.RequestAborted)
            : "";
        return Render(settings, tickets + events);
    }

    /// <summary>No icon, and no 404 problem in the browser's console for the one it asks for.</summary>
    public static IResult Favicon() => TypedResults.NoContent();

    private static IResult Render(HostSettings settings, string tickets)
    {
        var sandboxForm = settings.Sandbox
            ? """
              <h2>Try it on the sandbox</h2>
              <p>The sandbox stands in for Gorgias on this machine: no Gorgias account needed.</p>
              <form id="install-form" method="get" action="/oauth/install">
                <label for="account">Sandbox account</label>
                <input id="account" name="account" value="acme" pattern="[A-Za-z0-9]([A-Za-z0-9\-]{0,61}[A-Za-z0-9])?" required>
                <button id="install" type="submit">Install into a sandbox account</button>
              </form>
              """
            : "<p>Gorgias sends users to <code>/oauth/install?account=&lt;subdomain&gt;</code> when they click <em>Connect App</em>.</p>";
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Gorgias integration</title><link rel="icon" href="data:,">
            <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2937}code{background:#f3f4f6;padding:0 .25rem}</style>
            </head><body>
            <h1>Gorgias integration</h1>
            <p>Gorgias: <code>{{HtmlEncoder.Default.Encode(settings.Gorgias.BaseUrlTemplate)}}</code></p>
            {{sandboxForm}}
            {{tickets}}
            <h2>Admin API</h2>
            <p><code>GET /installations</code>, <code>GET /installations/{account}</code> with <code>Authorization: Bearer &lt;Integration:AdminApiKey&gt;</code>; <code>GET /health</code>.</p>
            <p>Operators: <a id="admin-page" href="/admin">the installations page</a> (sign in with the admin key).</p>
            </body></html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}

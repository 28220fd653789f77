using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static Gorgias.Integration.Sandbox.SandboxOAuthHttp;

namespace Gorgias.Integration.Sandbox;

/// <summary>The consent page (<c>/oauth/authorize</c>) and the user's decision, which issues the code.</summary>
internal static class SandboxConsentEndpoints
{
    internal static IResult Authorize(string account, HttpContext context)
    {
        var options = Options(context);
        var request = AuthorizeRequest.Parse(name => context.Request.Query[name], options.ClientId, out var error);
        NoStore(context.Response);
        if (request is null)
        {
            return Results.Text($"Invalid authorization request: {error}", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        // The page only ever posts to itself and must not be framed (clickjacking the Allow button).
        context.Response.Headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        context.Response.Headers["X-Frame-Options"] = "DENY";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        return Results.Text(ConsentPage.Render(Normalize(account), request), "text/html; charset=utf-8");
    }

    internal static async Task<IResult> DecideAsync(string account, HttpContext context)
    {
        var options = Options(context);
        if (!context.Request.HasFormContentType)
        {
            return Results.Text("Invalid decision: expected a form.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var request = AuthorizeRequest.Parse(name => form[name], options.ClientId, out var error);
        var decision = form["decision"].ToString();
        if (request is null || decision is not ("allow" or "deny"))
        {
            error ??= "'decision' must be 'allow' or 'deny'.";
            return Results.Text($"Invalid decision: {error}", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        NoStore(context.Response);
        string query;
        if (decision == "allow")
        {
            var services = context.RequestServices;
            var code = services.GetRequiredService<SandboxState>().IssueCode(new AuthorizationCode(
                Normalize(account), request.ClientId, request.RedirectUri, request.Scope, request.Nonce,
                request.CodeChallenge, request.CodeChallengeMethod,
                services.GetRequiredService<TimeProvider>().GetUtcNow() + SandboxState.CodeLifetime));
            query = $"code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(request.State)}";
        }
        else
        {
            query = $"error=access_denied&error_description={Uri.EscapeDataString("The user denied access to the app.")}&state={Uri.EscapeDataString(request.State)}";
        }

        var separator = request.RedirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Results.Redirect(request.RedirectUri + separator + query);
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static Gorgias.Integration.Sandbox.SandboxOAuthHttp;

namespace Gorgias.Integration.Sandbox;

/// <summary><c>/oauth/revoke</c> (RFC 7009), for the client's own refresh tokens.</summary>
internal static class SandboxRevokeEndpoint
{
    internal static async Task<IResult> RevokeAsync(string account, HttpContext context)
    {
        account = Normalize(account);
        var options = Options(context);
        var form = await ReadFormAsync(context);
        context.RequestServices.GetRequiredService<SandboxMonitor>().RecordRevocation(form);
        NoStore(context.Response);
        if (!IsClient(context.Request, options))
        {
            return InvalidClient(context.Response);
        }

        var token = form.GetValueOrDefault("token");
        if (string.IsNullOrEmpty(token))
        {
            return OAuthError("invalid_request", "The token is missing.");
        }

        // RFC 7009 §2.2: 200 whether or not the token was known; an access token is a stateless JWT and stays valid.
        context.RequestServices.GetRequiredService<SandboxState>().RevokeRefreshToken(token, account, options.ClientId);
        return Json(StatusCodes.Status200OK, static _ => { });
    }
}

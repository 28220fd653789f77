using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gorgias.Integration.Sandbox;

/// <summary>
/// A local stand-in for Gorgias: the consent page, <c>/oauth/token</c>, <c>/oauth/revoke</c>, the <c>/api/*</c>
/// resources and a helpdesk page (<c>/helpdesk</c>) whose buttons create tickets and messages, which call the account's
/// HTTP integrations, for any account, answering the way Gorgias does (<c>expires_in: 0</c>, no new refresh token on refresh).
/// Register its services with <see cref="SandboxServiceCollectionExtensions.AddGorgiasSandbox"/>.
/// </summary>
public static class SandboxEndpoints
{
    private const string AccountRouteValue = "account";

    /// <summary>
    /// Maps the sandbox under <c><paramref name="prefix"/>/{account}</c>, so that a base URL template of
    /// <c>http://host:port/sandbox/{account}</c> addresses one account. An account that is not one DNS label gets 404.
    /// </summary>
    public static IEndpointRouteBuilder MapGorgiasSandbox(this IEndpointRouteBuilder endpoints, string prefix = "/sandbox")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var basePath = "/" + prefix.Trim('/');
        basePath = basePath == "/" ? "" : basePath;

        var group = endpoints.MapGroup(basePath + "/{" + AccountRouteValue + "}");
        group.AddEndpointFilter(static async (context, next) =>
            IsAccount(context.HttpContext.GetRouteValue(AccountRouteValue) as string) ? await next(context) : Results.NotFound());

        group.MapGet("/oauth/authorize", SandboxConsentEndpoints.Authorize);
        group.MapPost("/oauth/authorize/decision", SandboxConsentEndpoints.DecideAsync).DisableAntiforgery();
        group.MapPost("/oauth/token", (string account, HttpContext context) => SandboxTokenEndpoint.TokenAsync(account, context, basePath)).DisableAntiforgery();
        group.MapPost("/oauth/revoke", SandboxRevokeEndpoint.RevokeAsync).DisableAntiforgery();
        group.MapGet("/api/account", SandboxApi.GetAccount);
        SandboxApi.Map(group);
        group.MapGet("/helpdesk", SandboxHelpdeskPage.Show);
        group.MapPost("/helpdesk/tickets", SandboxHelpdeskPage.CreateTicket).DisableAntiforgery();
        group.MapPost("/helpdesk/messages", SandboxHelpdeskPage.AddMessage).DisableAntiforgery();
        return endpoints;
    }

    /// <summary>One DNS label (RFC 1123), length checked before anything else.</summary>
    private static bool IsAccount(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 63 || value[0] == '-' || value[^1] == '-')
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return true;
    }
}

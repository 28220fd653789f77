using Gorgias.Integration.Web.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Gorgias.Integration.Web;

/// <summary>Maps the integration's HTTP routes into a host app.</summary>
public static class GorgiasIntegrationEndpoints
{
    /// <summary>
    /// Maps <c>/oauth/install</c>, <c>/oauth/callback</c>, the <c>/installations</c> admin routes and <c>/health</c>.
    /// The returned builders let the host put its own authorization on the admin group
    /// (e.g. <c>routes.Admin.RequireAuthorization("admins")</c> or <see cref="AdminApiKeyFilter"/>).
    /// </summary>
    public static GorgiasIntegrationRoutes MapGorgiasIntegration(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var oauth = endpoints.MapGroup("/oauth").MapOAuthEndpoints();
        var admin = endpoints.MapGroup("/installations").MapInstallationEndpoints();
        var health = endpoints.MapHealthChecks("/health");
        return new GorgiasIntegrationRoutes(oauth, admin, health);
    }
}

/// <summary>The route groups <see cref="GorgiasIntegrationEndpoints.MapGorgiasIntegration"/> mapped.</summary>
/// <param name="OAuth">The browser-facing install routes; public by nature.</param>
/// <param name="Admin">The <c>/installations</c> routes; the host must protect them.</param>
/// <param name="Health">The health route.</param>
public sealed record GorgiasIntegrationRoutes(RouteGroupBuilder OAuth, RouteGroupBuilder Admin, IEndpointConventionBuilder Health);

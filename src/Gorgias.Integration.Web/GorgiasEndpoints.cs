using Gorgias.Integration.Web.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Gorgias.Integration.Web;

/// <summary>
/// Maps the integration's HTTP routes into a host app that composes the adapters itself; most hosts call
/// <c>MapGorgiasIntegration</c> from <c>Gorgias.Integration.Hosting</c>, which also mounts the sandbox when it is on.
/// </summary>
public static class GorgiasEndpoints
{
    /// <summary>
    /// Maps <c>/oauth/install</c>, <c>/oauth/callback</c>, the <c>/installations</c> admin routes, <c>/health</c> and the
    /// events receiver <c>POST /events/{account}</c> (authenticated by each account's secret, not by the admin access).
    /// <paramref name="adminAccess"/> protects the admin group; there is no default, so the routes that read and
    /// uninstall installations are never anonymous by accident. The returned builders let the host add conventions.
    /// </summary>
    public static GorgiasIntegrationRoutes MapGorgiasEndpoints(this IEndpointRouteBuilder endpoints, GorgiasAdminAccess adminAccess)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(adminAccess);
        var oauth = endpoints.MapGroup("/oauth").MapOAuthEndpoints();
        var admin = endpoints.MapGroup("/installations").MapInstallationEndpoints().MapGorgiasApiEndpoints();
        adminAccess.Apply(admin, endpoints.ServiceProvider);
        var health = endpoints.MapHealthChecks("/health");
        var events = endpoints.MapGroup("/events").MapEventEndpoints();
        return new GorgiasIntegrationRoutes(oauth, admin, health) { Events = events };
    }
}

/// <summary>The route groups <see cref="GorgiasEndpoints.MapGorgiasEndpoints"/> mapped.</summary>
/// <param name="OAuth">The browser-facing install routes; public by nature.</param>
/// <param name="Admin">The <c>/installations</c> routes, protected as the host chose.</param>
/// <param name="Health">The health route.</param>
public sealed record GorgiasIntegrationRoutes(RouteGroupBuilder OAuth, RouteGroupBuilder Admin, IEndpointConventionBuilder Health)
{
    /// <summary>The events receiver, <c>POST /events/{account}</c>; Gorgias calls it, each delivery carrying its account's secret.</summary>
    public RouteGroupBuilder? Events { get; init; }
}

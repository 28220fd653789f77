using Microsoft.AspNetCore.Routing;

namespace Gorgias.Integration.Sandbox;

/// <summary>A local stand-in for Gorgias.</summary>
public static class SandboxEndpoints
{
    /// <summary>Maps the sandbox under <paramref name="prefix"/>.</summary>
    public static IEndpointRouteBuilder MapGorgiasSandbox(this IEndpointRouteBuilder endpoints, string prefix = "/sandbox") => endpoints;
}

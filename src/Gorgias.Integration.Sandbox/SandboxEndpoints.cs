using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Sandbox;

/// <summary>A local stand-in for Gorgias.</summary>
public static class SandboxEndpoints
{
    /// <summary>Maps the sandbox under <paramref name="prefix"/>.</summary>
    public static IEndpointRouteBuilder MapGorgiasSandbox(this IEndpointRouteBuilder endpoints, string prefix = "/sandbox") => endpoints;

    /// <summary>Adds the sandbox.</summary>
    public static IServiceCollection AddGorgiasSandbox(this IServiceCollection services, Action<SandboxOptions>? configure = null) => services;
}

/// <summary>Stub.</summary>
public sealed class SandboxOptions
{
    /// <summary>Stub.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>Stub.</summary>
    public string ClientSecret { get; set; } = "";
}

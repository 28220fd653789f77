using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>How a storage adapter puts its cross-instance coordination in place of the in-process defaults.</summary>
internal static class CoordinationRegistration
{
    /// <summary>
    /// Registers <typeparamref name="TImplementation"/> as <typeparamref name="TService"/> unless a registration other than
    /// the core's in-process <paramref name="defaultImplementation"/> exists (a host's own), whatever the order of the calls.
    /// </summary>
    public static IServiceCollection ReplaceInProcessDefault<TService, TImplementation>(this IServiceCollection services, Type defaultImplementation)
        where TService : class
        where TImplementation : class, TService
    {
        var existing = services.Where(d => d.ServiceType == typeof(TService)).ToList();
        if (existing.Count > 0 && existing.Exists(d => d.ImplementationType != defaultImplementation))
        {
            return services;
        }

        foreach (var descriptor in existing)
        {
            services.Remove(descriptor);
        }

        services.AddSingleton<TService, TImplementation>();
        return services;
    }
}

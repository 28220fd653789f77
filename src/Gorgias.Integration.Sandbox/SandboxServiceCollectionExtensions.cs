using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gorgias.Integration.Sandbox;

/// <summary>Registers the sandbox's services.</summary>
public static class SandboxServiceCollectionExtensions
{
    /// <summary>
    /// Adds the sandbox's in-memory state, its <see cref="SandboxMonitor"/> and <see cref="SandboxOptions"/>.
    /// Time comes from the registered <see cref="TimeProvider"/> (the system clock unless a test registered another first).
    /// </summary>
    public static IServiceCollection AddGorgiasSandbox(this IServiceCollection services, Action<SandboxOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<SandboxOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SandboxMonitor>();
        services.TryAddSingleton<SandboxState>();
        services.TryAddSingleton<SandboxData>();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gorgias.Integration.Sandbox;

/// <summary>Registers the sandbox's services.</summary>
public static class SandboxServiceCollectionExtensions
{
    /// <summary>
    /// Adds the sandbox's in-memory state, its <see cref="SandboxMonitor"/>, <see cref="SandboxOptions"/> and the client
    /// that calls HTTP integrations.
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
        services.TryAddSingleton<SandboxHttpIntegrations>();

        // Deliveries to the app's own receiver: no redirects followed, a short timeout as Gorgias has.
        services.AddHttpClient(SandboxHttpIntegrations.HttpClientName, static c => c.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        return services;
    }
}

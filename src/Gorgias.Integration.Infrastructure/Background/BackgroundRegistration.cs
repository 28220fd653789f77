using Gorgias.Integration.Application.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Gorgias.Integration.Infrastructure.Background;

/// <summary>Registers the background token maintenance for a host.</summary>
public static class BackgroundRegistration
{
    /// <summary>
    /// Adds a hosted service that, every <c>Integration:BackgroundRefresh:Interval</c>, refreshes the access tokens of
    /// active installations expiring within <c>Window</c> and retries pending revocations; and a dispatcher that hands received events to the host's handlers as they arrive
    /// (<c>Gorgias:Events:*</c>). Options are validated at
    /// start-up. Safe to run in several processes on one database: each account is refreshed once.
    /// Requires <c>AddGorgiasApplication</c> and <c>AddGorgiasInfrastructure</c>.
    /// </summary>
    public static IServiceCollection AddGorgiasBackgroundRefresh(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddValidatedOptions<BackgroundRefreshOptions, BackgroundRefreshOptionsValidator>()
            .Bind(configuration.GetSection(BackgroundRefreshOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenMaintenanceWorker>();
        services.AddSingleton<IHostedService>(static provider => provider.GetRequiredService<TokenMaintenanceWorker>());
        services.AddHostedService<EventDispatchWorker>();
        return services;
    }
}

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
    /// active installations expiring within <c>Window</c> and retries pending revocations. Options are validated at
    /// start-up. Safe to run in several processes on one database: each account is refreshed once.
    /// Requires <c>AddGorgiasApplication</c> and <c>AddGorgiasInfrastructure</c>.
    /// </summary>
    public static IServiceCollection AddGorgiasBackgroundRefresh(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<BackgroundRefreshOptions>()
            .Bind(configuration.GetSection(BackgroundRefreshOptions.SectionName))
            .Validate(o => o.Validate().Count == 0,
                $"{BackgroundRefreshOptions.SectionName} is invalid: Interval 00:00:01–01:00:00, Window up to 12:00:00, " +
                "MaxParallelism 1–64, BatchSize 1–10000, MaxJitter between 0 and Interval.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenMaintenanceWorker>();
        services.AddSingleton<IHostedService>(static provider => provider.GetRequiredService<TokenMaintenanceWorker>());
        return services;
    }
}

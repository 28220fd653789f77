using System.Diagnostics.Metrics;
using FluentValidation;
using Gorgias.Integration.Application.Common.Behaviours;
using Gorgias.Integration.Application.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Application;

/// <summary>Registers the use cases.</summary>
public static class DependencyInjection
{
    /// <summary>
    /// Adds the mediator with the use cases, their validators and the pipeline (logging, then validation).
    /// The host adds the adapters (e.g. <c>AddGorgiasInfrastructure</c>) and binds <see cref="Options.GorgiasOptions"/>.
    /// Also registers <see cref="Tokens.IGorgiasAccessTokenProvider"/> (a singleton).
    /// </summary>
    public static IServiceCollection AddGorgiasApplication(this IServiceCollection services)
    {
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;

            // A host talks to IMediator; the generated Mediator class and its options are no part of the surface.
            options.GenerateTypesAsInternal = true;
            options.PipelineBehaviors = [typeof(LoggingBehaviour<,>), typeof(ValidationBehaviour<,>)];
        });
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddValidatedOptions<Options.GorgiasOptions, Options.GorgiasOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<Common.DomainEventPublisher>();
        services.TryAddScoped<Events.EventIntegrationSync>();
        services.TryAddSingleton<Events.EventArrivals>();

        // One of each per process: the cache, the backoff and the single-flight map are only as good as they are shared.
        services.TryAddSingleton<Tokens.AccessTokenCache>();
        services.TryAddSingleton<Tokens.RefreshFailureBackoff>();
        services.TryAddSingleton<Tokens.InvalidGrantArbiter>();
        services.TryAddSingleton<Tokens.RefreshLeaseGate>();
        services.TryAddSingleton<Tokens.AccessTokenRefresher>();
        services.TryAddSingleton<Tokens.RefreshHealthTracker>();
        services.TryAddSingleton<Tokens.IGorgiasAccessTokenProvider, Tokens.GorgiasAccessTokenProvider>();

        // Telemetry: the meter from the host's IMeterFactory when it has one (every generic host does); the gauge reads
        // the storage's counts when the storage offers them.
        services.TryAddSingleton(sp => new Telemetry.InstallationCounts(sp.GetService<Abstractions.IInstallationCounter>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<Telemetry.InstallationCounts>>()));
        services.TryAddSingleton(sp => new Telemetry.GorgiasMetrics(sp.GetService<IMeterFactory>(), sp.GetRequiredService<Telemetry.InstallationCounts>()));

        // Defaults for one process; a storage shared by several instances registers its own (before or after this call).
        services.TryAddSingleton<Abstractions.IRefreshLease, Tokens.InProcessRefreshLease>();
        services.TryAddSingleton<Abstractions.ITokenChangeSignal, Tokens.NoTokenChangeSignal>();
        services.TryAddSingleton<Abstractions.ITokenChangeSink, Tokens.CacheInvalidatingTokenChangeSink>();
        return services;
    }
}

using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Infrastructure.Events;
using Gorgias.Integration.Infrastructure.Gorgias;
using Gorgias.Integration.Infrastructure.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Gorgias.Integration.Infrastructure;

/// <summary>Registers the adapters behind the Application's ports.</summary>
public static class DependencyInjection
{
    /// <summary>
    /// Adds the Gorgias HTTP clients (<c>Gorgias:*</c>) and the event options (<c>Gorgias:Events:*</c>). Storage comes from a storage adapter
    /// (<c>Gorgias.Integration.Storage.Sqlite</c> or <c>…PostgreSql</c>). A hosted service creates the
    /// <c>Gorgias.Integration</c> meter at start-up, so its installation gauge is there from the first collection.
    /// </summary>
    public static IServiceCollection AddGorgiasInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddGorgiasHttpClients(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, Telemetry.MeterStartup>());
        services.AddValidatedOptions<GorgiasEventOptions, GorgiasEventOptionsValidator>()
            .Bind(configuration.GetSection(GorgiasEventOptions.SectionName));
        services.TryAddSingleton<IGorgiasEventIntegrations, RefitGorgiasEventIntegrations>();
        // Data Protection itself comes with the storage adapter, which encrypts the tokens with the same key ring.
        services.TryAddSingleton<SecretProtector>();
        services.TryAddSingleton<IAuthorizationStateProtector, AuthorizationStateProtector>();
        return services;
    }
}

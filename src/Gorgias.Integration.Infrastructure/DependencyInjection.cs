using Gorgias.Integration.Infrastructure.Gorgias;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Infrastructure;

/// <summary>Registers the adapters behind the Application's ports.</summary>
public static class DependencyInjection
{
    /// <summary>
    /// Adds the Gorgias HTTP clients (<c>Gorgias:*</c>). Storage comes from a storage adapter
    /// (<c>Gorgias.Integration.Storage.Sqlite</c> or <c>…PostgreSql</c>).
    /// </summary>
    public static IServiceCollection AddGorgiasInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddGorgiasHttpClients(configuration);
        return services;
    }
}

using Gorgias.Integration.Infrastructure.Gorgias;
using Gorgias.Integration.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Infrastructure;

/// <summary>Registers the adapters behind the Application's ports.</summary>
public static class DependencyInjection
{
    /// <summary>
    /// Adds the SQLite store (<c>ConnectionStrings:Integration</c>), Data Protection for tokens at rest
    /// (<c>DataProtection:KeysPath</c>) and the Gorgias HTTP clients (<c>Gorgias:*</c>).
    /// </summary>
    public static IServiceCollection AddGorgiasInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSqlitePersistence(configuration);
        services.AddGorgiasHttpClients(configuration);
        return services;
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Infrastructure.Persistence;

internal static class PersistenceRegistration
{
    public static IServiceCollection AddSqlitePersistence(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        return services;
    }
}

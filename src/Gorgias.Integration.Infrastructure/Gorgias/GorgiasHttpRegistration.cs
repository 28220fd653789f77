using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Infrastructure.Gorgias;

internal static class GorgiasHttpRegistration
{
    public static IServiceCollection AddGorgiasHttpClients(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        return services;
    }
}

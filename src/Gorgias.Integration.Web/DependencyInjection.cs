using System.Text.Json.Serialization;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Web.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gorgias.Integration.Web;

/// <summary>Registers what the HTTP adapter needs.</summary>
public static class DependencyInjection
{
    /// <summary>
    /// Adds problem details, JSON settings, <see cref="GorgiasWebOptions"/> (section <c>Integration</c>) and the per-client
    /// limit on <c>/oauth/install</c>, and the
    /// per-account limit on the events receiver.
    /// </summary>
    public static IServiceCollection AddGorgiasWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.Converters.Add(new AccountNameJsonConverter());
        });
        services.AddValidatedOptions<GorgiasWebOptions, GorgiasWebOptionsValidator>().Bind(configuration.GetSection(GorgiasWebOptions.SectionName));
        services.TryAddSingleton<InstallRateLimiter>();
        services.TryAddSingleton<EventRateLimiter>();
        return services;
    }
}

using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Web;

/// <summary>Registers what the HTTP adapter needs.</summary>
public static class DependencyInjection
{
    /// <summary>Adds problem details, JSON settings and <see cref="GorgiasWebOptions"/> (section <c>Integration</c>).</summary>
    public static IServiceCollection AddGorgiasWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddOptions<GorgiasWebOptions>().Bind(configuration.GetSection(GorgiasWebOptions.SectionName));
        return services;
    }
}

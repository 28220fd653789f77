using System.Net;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Infrastructure.Gorgias.Api;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Infrastructure.Gorgias;

internal static class GorgiasHttpRegistration
{
    /// <summary>
    /// Binds <see cref="GorgiasOptions"/> from <c>Gorgias</c> and registers the OAuth client and its adapters, then the
    /// REST API client (<see cref="GorgiasApiRegistration"/>).
    /// The OAuth client gets no resilience handler: a token request is sent once, and the application decides what to retry.
    /// </summary>
    public static IServiceCollection AddGorgiasHttpClients(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<GorgiasOptions>().Bind(configuration.GetSection(GorgiasOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);

        var oauthClient = services.AddHttpClient(RefitGorgiasAuthorizationServer.HttpClientName, static (provider, client) =>
            {
                client.Timeout = provider.GetRequiredService<IOptions<GorgiasOptions>>().Value.HttpTimeout;
                client.MaxResponseContentBufferSize = RefitGorgiasAuthorizationServer.MaxResponseBytes;
            })
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                // Row 22: the code and the secret go to the account's host only; a 3xx is an invalid response.
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.None,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),

                // An oversized body is abandoned, not drained.
                MaxResponseDrainSize = 0,
            })
            .RedactLoggedHeaders(static _ => true);

        // Removes handlers a host may add to every client with ConfigureHttpClientDefaults(AddStandardResilienceHandler):
        // a retried POST /oauth/token would resend a single-use code. The API is marked experimental (EXTEXP0001);
        // if it changes, the test that registers a global resilience handler says so.
#pragma warning disable EXTEXP0001
        oauthClient.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        services.TryAddSingleton<IGorgiasAuthorizationServer, RefitGorgiasAuthorizationServer>();
        services.TryAddSingleton<IIdTokenReader, JsonWebTokenIdTokenReader>();
        services.AddGorgiasApiClient(configuration);
        return services;
    }
}

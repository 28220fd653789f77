using System.Net;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

internal static class GorgiasApiRegistration
{
    /// <summary>
    /// Registers the REST API client: <see cref="IGorgiasApiFactory"/>, <see cref="IGorgiasApiClient"/> and the
    /// <c>GorgiasApi</c> handler chain, outermost first: logging (header values redacted), the call's span, the scope check (nothing is
    /// sent for a scope the installation lacks), bearer token with one
    /// refresh-and-retry on 401, retry of 429/503 around a per-attempt timeout, the per-account request budget (local, then
    /// the server's as its rate-limit header reports it), and
    /// the bounded body read. The access token comes from <see cref="Application.Tokens.IGorgiasAccessTokenProvider"/>,
    /// which the host's composition must provide.
    /// </summary>
    public static IServiceCollection AddGorgiasApiClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddValidatedOptions<GorgiasApiRateLimitOptions, GorgiasApiRateLimitOptionsValidator>()
            .Bind(configuration.GetSection(GorgiasApiRateLimitOptions.SectionName));
        services.AddValidatedOptions<GorgiasApiRetryOptions, GorgiasApiRetryOptionsValidator>()
            .Bind(configuration.GetSection(GorgiasApiRetryOptions.SectionName));

        services.TryAddSingleton<GorgiasApiRateLimiter>();
        services.TryAddSingleton<GorgiasServerBudget>();
        services.TryAddSingleton<GrantedScopeCache>();
        services.TryAddSingleton<GorgiasApiClients>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddTransient<GorgiasTelemetryHandler>();
        services.TryAddTransient<GorgiasScopeHandler>();
        services.TryAddTransient<GorgiasAuthenticationHandler>();
        services.TryAddTransient<GorgiasRateLimitHandler>();
        services.TryAddTransient<BoundedResponseHandler>();

        var client = services.AddHttpClient(RefitGorgiasApiFactory.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                // A token must not follow a redirect to another host; a 3xx is an answer like any other.
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.None,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),

                // An oversized body is abandoned, not drained.
                MaxResponseDrainSize = 0,
            })
            .RedactLoggedHeaders(static _ => true)
            .AddHttpMessageHandler<GorgiasTelemetryHandler>()
            .AddHttpMessageHandler<GorgiasScopeHandler>()
            .AddHttpMessageHandler<GorgiasAuthenticationHandler>();

        // A host's ConfigureHttpClientDefaults(AddStandardResilienceHandler) would retry every 5xx and POST on top of
        // this client's own policy; only the handler added below stays. The API is experimental (EXTEXP0001).
#pragma warning disable EXTEXP0001
        client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        client.AddResilienceHandler("gorgias-api", GorgiasApiResilience.Configure);
        client.AddHttpMessageHandler<GorgiasRateLimitHandler>()
            .AddHttpMessageHandler<BoundedResponseHandler>();

        services.TryAddSingleton<IGorgiasApiFactory, RefitGorgiasApiFactory>();
        services.TryAddSingleton<IGorgiasApiClient, RefitGorgiasApiClient>();
        return services;
    }
}

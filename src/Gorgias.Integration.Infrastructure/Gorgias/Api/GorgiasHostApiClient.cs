using Gorgias.Integration.Domain.Installations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Refit;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>
/// Hands out a host's own Refit interface <typeparamref name="TApi"/>, one per account, on the same pipeline as
/// <see cref="IGorgiasApi"/>: scope check, bearer token with one refresh and retry on 401, the local and the server's
/// rate limit, retry of idempotent 429/503, per-attempt timeout, bounded bodies, <see cref="GorgiasApiException"/>.
/// Register it with <see cref="GorgiasApiClientServiceCollectionExtensions.AddGorgiasApiClient{TApi}"/>.
/// </summary>
/// <typeparam name="TApi">The host's Refit interface; its paths start with <c>/api/</c>.</typeparam>
public interface IGorgiasApiFactory<out TApi>
    where TApi : class
{
    /// <summary>A client for <paramref name="account"/>'s Gorgias; cheap to create, connections are pooled.</summary>
    TApi For(AccountName account);
}

/// <summary>Registers a host's own Refit interface on the Gorgias API pipeline.</summary>
public static class GorgiasApiClientServiceCollectionExtensions
{
    /// <summary>
    /// Makes <see cref="IGorgiasApiFactory{TApi}"/> available for <typeparamref name="TApi"/>, for the calls this library
    /// does not type. Call it after <c>AddGorgiasIntegration()</c> (or <c>AddGorgiasInfrastructure</c>), which registers
    /// the pipeline. Bodies use System.Text.Json's defaults (reflection) for the host's own types.
    /// </summary>
    public static IServiceCollection AddGorgiasApiClient<TApi>(this IServiceCollection services)
        where TApi : class
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IGorgiasApiFactory<TApi>, HostGorgiasApiFactory<TApi>>();
        return services;
    }
}

internal sealed class HostGorgiasApiFactory<TApi>(GorgiasApiClients clients) : IGorgiasApiFactory<TApi>
    where TApi : class
{
    private readonly RefitSettings _settings = clients.CreateSettings(json: null);

    public TApi For(AccountName account) => RestService.For<TApi>(clients.CreateHttpClient(account), _settings);
}

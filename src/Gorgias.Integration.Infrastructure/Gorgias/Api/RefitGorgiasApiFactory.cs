using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Application.Tokens;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Extensions.Options;
using Refit;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>
/// <see cref="IGorgiasApiFactory"/> over Refit's source-generated client. Each client wraps the pooled
/// <c>GorgiasApi</c> handler chain of <see cref="IHttpClientFactory"/> in an <see cref="AccountStampHandler"/>; the
/// chain is not disposed with the client, so connections stay pooled and handler lifetimes stay the factory's.
/// </summary>
internal sealed class RefitGorgiasApiFactory(
    IHttpMessageHandlerFactory handlerFactory,
    IOptions<GorgiasOptions> options,
    IOptions<GorgiasApiRetryOptions> retryOptions) : IGorgiasApiFactory
{
    /// <summary>The named client whose handlers <see cref="GorgiasApiRegistration"/> configures.</summary>
    public const string HttpClientName = "GorgiasApi";

    private readonly RefitSettings _settings = CreateSettings();

    public IGorgiasApi For(AccountName account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var settings = options.Value;
        var handler = new AccountStampHandler(account) { InnerHandler = handlerFactory.CreateHandler(HttpClientName) };
        var httpClient = new HttpClient(handler, disposeHandler: false)
        {
            BaseAddress = settings.BaseUriFor(account),

            // Each attempt has its own Gorgias:HttpTimeout inside the pipeline (on TimeProvider); this only stops a call
            // that somehow outlives every bounded step: attempts, Retry-After waits and the one retry after a refresh.
            Timeout = OverallTimeout(settings.HttpTimeout, retryOptions.Value),
            MaxResponseContentBufferSize = BoundedResponseHandler.MaxResponseBytes,
        };
        return RestService.ForGenerated<IGorgiasApi>(httpClient, GorgiasApiJsonContext.Default, _settings);
    }

    /// <summary>Two passes (before and after a refresh), each of up to 1 + MaxRetries attempts and MaxRetries waits, plus the refresh.</summary>
    internal static TimeSpan OverallTimeout(TimeSpan httpTimeout, GorgiasApiRetryOptions retry) =>
        (2 * (((retry.MaxRetries + 1) * httpTimeout) + (retry.MaxRetries * retry.MaxRetryAfter))) + httpTimeout + TimeSpan.FromSeconds(5);

    private static RefitSettings CreateSettings()
    {
        var settings = new RefitSettings();
        var wrap = settings.TransportExceptionFactory;

        // "Not installed" or "install again" is the caller's to handle, not a transport failure: it surfaces as itself.
        settings.TransportExceptionFactory = (request, exception, cancellationToken) =>
            exception is GorgiasAccessException ? exception : wrap(request, exception, cancellationToken);
        return settings;
    }
}

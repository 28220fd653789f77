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
internal sealed class RefitGorgiasApiFactory(GorgiasApiClients clients) : IGorgiasApiFactory
{
    /// <summary>The named client whose handlers <see cref="GorgiasApiRegistration"/> configures.</summary>
    public const string HttpClientName = "GorgiasApi";

    private readonly RefitSettings _settings = clients.CreateSettings(GorgiasApiJsonContext.Default);

    public IGorgiasApi For(AccountName account) =>
        RestService.ForGenerated<IGorgiasApi>(clients.CreateHttpClient(account), GorgiasApiJsonContext.Default, _settings);

    /// <summary>Two passes (before and after a refresh), each of up to 1 + MaxRetries attempts and MaxRetries waits, plus the refresh.</summary>
    internal static TimeSpan OverallTimeout(TimeSpan httpTimeout, GorgiasApiRetryOptions retry) =>
        (2 * (((retry.MaxRetries + 1) * httpTimeout) + (retry.MaxRetries * retry.MaxRetryAfter))) + httpTimeout + TimeSpan.FromSeconds(5);
}

/// <summary>
/// What every Refit client of the Gorgias API shares, this library's and a host's own (<c>AddGorgiasApiClient&lt;TApi&gt;</c>):
/// the per-account <see cref="HttpClient"/> over the pooled chain, and the settings that turn error answers into
/// <see cref="GorgiasApiException"/> and let the token and scope failures surface as themselves.
/// </summary>
internal sealed class GorgiasApiClients(
    IHttpMessageHandlerFactory handlerFactory,
    IOptions<GorgiasOptions> options,
    IOptions<GorgiasApiRetryOptions> retryOptions,
    TimeProvider time)
{
    public HttpClient CreateHttpClient(AccountName account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var settings = options.Value;
        var handler = new AccountStampHandler(account) { InnerHandler = handlerFactory.CreateHandler(RefitGorgiasApiFactory.HttpClientName) };
        return new HttpClient(handler, disposeHandler: false)
        {
            BaseAddress = settings.BaseUriFor(account),

            // Each attempt has its own Gorgias:HttpTimeout inside the pipeline (on TimeProvider); this only stops a call
            // that somehow outlives every bounded step: attempts, Retry-After waits and the one retry after a refresh.
            Timeout = RefitGorgiasApiFactory.OverallTimeout(settings.HttpTimeout, retryOptions.Value),
            MaxResponseContentBufferSize = BoundedResponseHandler.MaxResponseBytes,
        };
    }

    /// <summary>Refit settings on <paramref name="json"/>, or on System.Text.Json's reflection defaults when null.</summary>
    public RefitSettings CreateSettings(System.Text.Json.Serialization.JsonSerializerContext? json)
    {
        var settings = json is null ? new RefitSettings() : RefitSettings.ForJsonContext(json);
        var wrap = settings.TransportExceptionFactory;

        // "Not installed", "install again" and "scope missing" are the caller's to handle, not transport failures.
        settings.TransportExceptionFactory = (request, exception, cancellationToken) =>
            exception is GorgiasAccessException or GorgiasScopeException ? exception : wrap(request, exception, cancellationToken);
        settings.ExceptionFactory = response => GorgiasApiException.CreateAsync(response, settings, time);
        return settings;
    }
}

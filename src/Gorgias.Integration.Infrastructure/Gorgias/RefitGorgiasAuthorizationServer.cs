using System.Text;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Application.Telemetry;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Refit;

namespace Gorgias.Integration.Infrastructure.Gorgias;

/// <summary>
/// <see cref="IGorgiasAuthorizationServer"/> over Refit. Each call goes to the account's own base URL, once: no retry
/// (a code must never be resent; the application decides about refreshes), no redirect, a bounded time and body.
/// Nothing secret is logged: not the code, the tokens, the client secret nor the Authorization header.
/// </summary>
internal sealed partial class RefitGorgiasAuthorizationServer(
    IHttpClientFactory httpClientFactory,
    IOptions<GorgiasOptions> options,
    TimeProvider timeProvider,
    ILogger<RefitGorgiasAuthorizationServer> logger) : IGorgiasAuthorizationServer
{
    /// <summary>The named <see cref="HttpClient"/> configured by <see cref="GorgiasHttpRegistration"/>.</summary>
    public const string HttpClientName = "Gorgias.OAuth";

    /// <summary>The largest body read from Gorgias; a token response is a few kilobytes.</summary>
    public const int MaxResponseBytes = BoundedBody.MaxBytes;

    private const string TokenEndpoint = "/oauth/token";
    private const string RevokeEndpoint = "/oauth/revoke";
    private const string GrantTypeAttribute = "gorgias.oauth.grant_type";
    private const string StatusCodeAttribute = "http.response.status_code";

    /// <inheritdoc />
    public async Task<TokenEndpointResult> ExchangeCodeAsync(CodeExchange exchange, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var form = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["grant_type"] = "authorization_code",
            ["code"] = exchange.Code,
            ["redirect_uri"] = exchange.RedirectUri,
        };
        if (!string.IsNullOrEmpty(exchange.CodeVerifier))
        {
            form["code_verifier"] = exchange.CodeVerifier;
        }

        return await RequestTokenAsync(exchange.Account, "authorization_code", form, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<TokenEndpointResult> RefreshAsync(AccountName account, string refreshToken, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(refreshToken);
        var form = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
        };
        return await RequestTokenAsync(account, "refresh_token", form, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<RevocationResult> RevokeAsync(AccountName account, string refreshToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrEmpty(refreshToken);
        var form = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["token"] = refreshToken,
            ["token_type_hint"] = "refresh_token",
        };
        using var activity = GorgiasActivity.Start(GorgiasTelemetry.Spans.OAuthRevoke, account);
        var (response, failure) = await SendAsync(account, RevokeEndpoint,
            (api, credentials, token) => api.RevokeAsync(credentials, form, token), cancellationToken);
        var result = response is null ? new RevocationResult(false, failure!.Error, failure.RetryAfter) : TokenResponseClassifier.ClassifyRevocation(response);
        activity?.SetTag(StatusCodeAttribute, response?.StatusCode);
        if (!result.Revoked)
        {
            activity.Fail(GorgiasActivity.ErrorType(result.Error ?? AuthorizationServerError.InvalidResponse));
            LogFailure(logger, RevokeEndpoint, account, result.Error, null, response?.StatusCode);
        }

        return result;
    }

    /// <summary>One token request, as one <c>gorgias.oauth.token</c> span: the code exchange, or the call inside a refresh's span.</summary>
    private async Task<TokenEndpointResult> RequestTokenAsync(AccountName account, string grantType, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        using var activity = GorgiasActivity.Start(GorgiasTelemetry.Spans.OAuthToken, account);
        activity?.SetTag(GrantTypeAttribute, grantType);
        var (response, failure) = await SendAsync(account, TokenEndpoint,
            (api, credentials, token) => api.RequestTokenAsync(credentials, form, token), cancellationToken);
        var result = response is null ? failure! : TokenResponseClassifier.ClassifyToken(response);
        activity?.SetTag(StatusCodeAttribute, response?.StatusCode);
        if (result.Error is { } error)
        {
            activity.Fail(GorgiasActivity.ErrorType(error));
        }

        if (result.Error == AuthorizationServerError.InvalidClient)
        {
            LogInvalidClient(logger, account, options.Value.ClientId);
        }
        else if (!result.IsSuccess)
        {
            LogFailure(logger, TokenEndpoint, account, result.Error, result.ErrorCode, response?.StatusCode);
        }

        return result;
    }

    /// <summary>
    /// Sends one request and reads at most <see cref="MaxResponseBytes"/> of the answer, all within
    /// <see cref="GorgiasOptions.HttpTimeout"/>. Transport failures become <see cref="AuthorizationServerError.Unavailable"/>;
    /// the caller's own cancellation propagates.
    /// </summary>
    private async Task<(GorgiasHttpResponse? Response, TokenEndpointResult? Failure)> SendAsync(
        AccountName account,
        string endpoint,
        Func<IGorgiasOAuthApi, string, CancellationToken, Task<HttpResponseMessage>> send,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;

        // HttpClient.Timeout only covers the headers; this also bounds reading the body.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.HttpTimeout);
        try
        {
            using var httpClient = httpClientFactory.CreateClient(HttpClientName);
            httpClient.BaseAddress = settings.BaseUriFor(account);

            // Refit's source-generated client: no reflection, cheap to create per call over the pooled handler.
            var api = RestService.ForGenerated<IGorgiasOAuthApi>(httpClient);
            using var response = await send(api, ClientCredentials(settings), timeout.Token);
            var retryAfter = RetryAfter.FromGorgias(response.Headers.RetryAfter, timeProvider.GetUtcNow())?.Delay;
            var body = await BoundedBody.ReadAsync(response.Content, timeout.Token);

            // Explicit: a null array must stay "no body" (oversized), not become an empty ReadOnlyMemory.
            ReadOnlyMemory<byte>? bounded = body is null ? null : body;
            return (new GorgiasHttpResponse((int)response.StatusCode, bounded, retryAfter), null);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException or ApiRequestException)
        {
            // Refit wraps what HttpClient.SendAsync throws in ApiRequestException; reading the body throws it bare.
            var cause = ex is ApiRequestException { InnerException: { } inner } ? inner : ex;
            if (cause is not (OperationCanceledException or HttpRequestException or IOException))
            {
                throw;
            }

            // The caller's cancellation wins, even when it surfaced as a dropped connection.
            cancellationToken.ThrowIfCancellationRequested();
            if (cause is OperationCanceledException)
            {
                LogTimeout(logger, endpoint, account, settings.HttpTimeout);
            }
            else
            {
                LogTransportFailure(logger, endpoint, account, cause.GetType().Name);
            }

            return (null, TokenEndpointResult.Failure(AuthorizationServerError.Unavailable));
        }
    }

    /// <summary>RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded.</summary>
    /// <remarks>
    /// Uri.EscapeDataString writes a space as %20 rather than '+': both are valid form encoding, and %20 is also decoded
    /// correctly by servers that unescape with a plain percent-decoder.
    /// </remarks>
    internal static string ClientCredentials(GorgiasOptions settings) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(
            Uri.EscapeDataString(settings.ClientId) + ":" + Uri.EscapeDataString(settings.ClientSecret)));

    [LoggerMessage(EventId = 1420, Level = LogLevel.Error,
        Message = "Gorgias rejected the client credentials (invalid_client) for account {Account}: check Gorgias:ClientId ({ClientId}) and Gorgias:ClientSecret")]
    private static partial void LogInvalidClient(ILogger logger, AccountName account, string clientId);

    [LoggerMessage(EventId = 1421, Level = LogLevel.Warning,
        Message = "Gorgias {Endpoint} for account {Account} failed: {Error} (error code {ErrorCode}, HTTP {StatusCode})")]
    private static partial void LogFailure(ILogger logger, string endpoint, AccountName account, AuthorizationServerError? error, string? errorCode, int? statusCode);

    [LoggerMessage(EventId = 1422, Level = LogLevel.Warning, Message = "Gorgias {Endpoint} for account {Account} did not answer within {Timeout}")]
    private static partial void LogTimeout(ILogger logger, string endpoint, AccountName account, TimeSpan timeout);

    [LoggerMessage(EventId = 1423, Level = LogLevel.Warning, Message = "Gorgias {Endpoint} for account {Account} could not be reached ({Failure})")]
    private static partial void LogTransportFailure(ILogger logger, string endpoint, AccountName account, string failure);
}

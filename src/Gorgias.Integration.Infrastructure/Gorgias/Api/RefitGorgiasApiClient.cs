using System.Net;
using System.Net.Http.Headers;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Tokens;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Extensions.Logging;
using Polly.Timeout;
using Refit;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>
/// <see cref="IGorgiasApiClient"/> over <see cref="IGorgiasApi"/>: every outcome becomes a typed
/// <see cref="Result{T}"/>. The caller's own cancellation is the only exception that escapes.
/// </summary>
internal sealed partial class RefitGorgiasApiClient(
    IGorgiasApiFactory apis,
    TimeProvider timeProvider,
    ILogger<RefitGorgiasApiClient> logger) : IGorgiasApiClient
{
    private const string AccountEndpoint = "/api/account";

    public async Task<Result<GorgiasAccount>> GetAccountAsync(AccountName account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        IApiResponse<GorgiasAccountResponse> response;
        try
        {
            response = await apis.For(account).GetAccountResponseAsync(cancellationToken);
        }
        catch (GorgiasAccessException ex)
        {
            return ex.Error;
        }
        catch (Exception ex) when (ex is ApiRequestException or HttpRequestException or IOException or OperationCanceledException or TimeoutRejectedException)
        {
            return Failed(ex, account, AccountEndpoint, cancellationToken);
        }

        using (response)
        {
            if (response.HasRequestError(out var requestError))
            {
                return Failed(requestError, account, AccountEndpoint, cancellationToken);
            }

            if (response.IsSuccessStatusCode)
            {
                if (response.HasContent && response.Content is { Domain: { Length: > 0 } domain } body)
                {
                    return new GorgiasAccount(domain, body.Status?.Status, body.CreatedDatetime, body.DeactivatedDatetime);
                }

                LogInvalidResponse(logger, AccountEndpoint, account, (int)response.StatusCode);
                return InvalidResponse(account);
            }

            return FromStatus(response.StatusCode ?? 0, response.Headers?.RetryAfter, account, AccountEndpoint);
        }
    }

    /// <summary>What an HTTP error status means for the caller; the 401 reaching here already survived one refresh.</summary>
    private Error FromStatus(HttpStatusCode status, RetryConditionHeaderValue? retryAfterHeader, AccountName account, string endpoint)
    {
        var code = (int)status;
        LogHttpError(logger, endpoint, account, code);
        var retryAfter = RetryAfter.FromGorgias(retryAfterHeader, timeProvider.GetUtcNow())?.Delay;
        return status switch
        {
            HttpStatusCode.Unauthorized => new Error(ErrorKind.GorgiasError, "gorgias_api_unauthorized",
                $"Gorgias refused the app's access token for account '{account}' even after a refresh: Gorgias does not accept this app's tokens for that account; check the app's registration and installation at Gorgias."),
            HttpStatusCode.Forbidden => new Error(ErrorKind.GorgiasError, "gorgias_api_forbidden",
                $"Gorgias refused the request for account '{account}': the app lacks a scope it needs (see Gorgias:Scopes; the user must install again to grant it), or the installing user's role lacks the permission."),
            HttpStatusCode.NotFound => new Error(ErrorKind.NotFound, "gorgias_api_not_found",
                $"Gorgias has no such resource for account '{account}'."),
            HttpStatusCode.TooManyRequests => new Error(ErrorKind.GorgiasUnavailable, "gorgias_rate_limited",
                $"The app has used up its Gorgias request budget for account '{account}'; try again later.", retryAfter),
            >= HttpStatusCode.InternalServerError => new Error(ErrorKind.GorgiasUnavailable, "gorgias_unavailable",
                $"Gorgias is unavailable for account '{account}' (HTTP {code}); try again later.", retryAfter),
            _ => new Error(ErrorKind.GorgiasError, "gorgias_api_error",
                $"Gorgias answered HTTP {code} for account '{account}'."),
        };
    }

    /// <summary>No usable answer: the body was too large, the attempt timed out, or the connection failed.</summary>
    private Error Failed(Exception exception, AccountName account, string endpoint, CancellationToken cancellationToken)
    {
        // The caller's cancellation wins, even when it surfaced as a dropped connection or a wrapped exception.
        cancellationToken.ThrowIfCancellationRequested();
        var cause = exception is ApiRequestException { InnerException: { } inner } ? inner : exception;
        switch (cause)
        {
            case GorgiasAccessException access:
                return access.Error;
            case HttpRequestException { HttpRequestError: HttpRequestError.ConfigurationLimitExceeded }:
                LogTooLarge(logger, endpoint, account, BoundedResponseHandler.MaxResponseBytes);
                return InvalidResponse(account);
            case TimeoutRejectedException or OperationCanceledException:
                LogTimeout(logger, endpoint, account);
                return new Error(ErrorKind.GorgiasUnavailable, "gorgias_timeout",
                    $"Gorgias did not answer in time for account '{account}'; try again later.");
            case HttpRequestException or IOException:
                LogTransportFailure(logger, endpoint, account, cause.GetType().Name);
                return new Error(ErrorKind.GorgiasUnavailable, "gorgias_unreachable",
                    $"Gorgias could not be reached for account '{account}'; try again later.");
            default:
                throw new InvalidOperationException("Unexpected failure calling Gorgias.", cause);
        }
    }

    private static Error InvalidResponse(AccountName account) =>
        new(ErrorKind.GorgiasError, "gorgias_invalid_response", $"Gorgias answered something unusable for account '{account}'.");

    [LoggerMessage(EventId = 1434, Level = LogLevel.Warning, Message = "Gorgias {Endpoint} for account {Account} answered HTTP {StatusCode}")]
    private static partial void LogHttpError(ILogger logger, string endpoint, AccountName account, int statusCode);

    [LoggerMessage(EventId = 1435, Level = LogLevel.Warning, Message = "Gorgias {Endpoint} for account {Account} answered HTTP {StatusCode} with an unusable body")]
    private static partial void LogInvalidResponse(ILogger logger, string endpoint, AccountName account, int statusCode);

    [LoggerMessage(EventId = 1436, Level = LogLevel.Warning, Message = "Gorgias {Endpoint} for account {Account} answered more than {MaxBytes} bytes; the answer was dropped")]
    private static partial void LogTooLarge(ILogger logger, string endpoint, AccountName account, int maxBytes);

    [LoggerMessage(EventId = 1437, Level = LogLevel.Warning, Message = "Gorgias {Endpoint} for account {Account} did not answer within the timeout")]
    private static partial void LogTimeout(ILogger logger, string endpoint, AccountName account);

    [LoggerMessage(EventId = 1438, Level = LogLevel.Warning, Message = "Gorgias {Endpoint} for account {Account} could not be reached ({Failure})")]
    private static partial void LogTransportFailure(ILogger logger, string endpoint, AccountName account, string failure);
}

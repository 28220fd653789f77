using System.Net;
using Refit;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>What kind of HTTP error Gorgias answered: the thing a host switches on.</summary>
public enum GorgiasApiErrorKind
{
    /// <summary>400: the request is malformed; <see cref="GorgiasApiException.GorgiasError"/> says why.</summary>
    BadRequest,

    /// <summary>401 even after one refresh and retry: Gorgias does not accept the app's token for the account.</summary>
    Unauthorized,

    /// <summary>403: the app's scopes or the installing user's role lack the right.</summary>
    Forbidden,

    /// <summary>404: no such resource.</summary>
    NotFound,

    /// <summary>409: e.g. a customer email already in use.</summary>
    Conflict,

    /// <summary>413: the request body is too large.</summary>
    TooLarge,

    /// <summary>429: the account's request budget is spent; <see cref="GorgiasApiException.RetryAfter"/> says how long to wait.</summary>
    RateLimited,

    /// <summary>5xx: Gorgias is unavailable; try again later.</summary>
    Unavailable,

    /// <summary>Any other error status.</summary>
    Other,
}

/// <summary>
/// Gorgias answered an HTTP error. An <see cref="ApiException"/> (so Refit's own handling still applies) that keeps
/// only Gorgias's short <c>error</c> text of the body, never the body itself, so logging it leaks no customer data.
/// </summary>
public sealed class GorgiasApiException : ApiException
{
    private GorgiasApiException(HttpResponseMessage response, RefitSettings settings, GorgiasApiErrorKind kind, string? gorgiasError, TimeSpan? retryAfter)
        : base(MessageFor(response, kind, gorgiasError), response.RequestMessage!, response.RequestMessage!.Method, null,
            response.StatusCode, response.ReasonPhrase, response.Headers, settings)
    {
        Kind = kind;
        GorgiasError = gorgiasError;
        RetryAfter = retryAfter;
    }

    /// <summary>What went wrong, broadly.</summary>
    public GorgiasApiErrorKind Kind { get; }

    /// <summary>The <c>error</c> attribute of Gorgias's answer (at most 500 characters), or null.</summary>
    public string? GorgiasError { get; }

    /// <summary>The wait <c>Retry-After</c> asked for, on 429 and 503.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The kind an HTTP status stands for.</summary>
    public static GorgiasApiErrorKind KindOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => GorgiasApiErrorKind.BadRequest,
        HttpStatusCode.Unauthorized => GorgiasApiErrorKind.Unauthorized,
        HttpStatusCode.Forbidden => GorgiasApiErrorKind.Forbidden,
        HttpStatusCode.NotFound => GorgiasApiErrorKind.NotFound,
        HttpStatusCode.Conflict => GorgiasApiErrorKind.Conflict,
        HttpStatusCode.RequestEntityTooLarge => GorgiasApiErrorKind.TooLarge,
        HttpStatusCode.TooManyRequests => GorgiasApiErrorKind.RateLimited,
        >= HttpStatusCode.InternalServerError => GorgiasApiErrorKind.Unavailable,
        _ => GorgiasApiErrorKind.Other,
    };

    /// <summary>The exception for an error answer; the body is already buffered and bounded by the pipeline.</summary>
    internal static async ValueTask<Exception?> CreateAsync(HttpResponseMessage response, RefitSettings settings, TimeProvider time)
    {
        if (response.IsSuccessStatusCode || response.RequestMessage is null)
        {
            return null;
        }

        var kind = KindOf(response.StatusCode);
        var retryAfter = Application.Common.RetryAfter.FromGorgias(response.Headers.RetryAfter, time.GetUtcNow())?.Delay;
        return new GorgiasApiException(response, settings, kind, await GorgiasApiErrorBody.ReadErrorAsync(response.Content), retryAfter);
    }

    private static string MessageFor(HttpResponseMessage response, GorgiasApiErrorKind kind, string? gorgiasError) =>
        $"Gorgias answered HTTP {(int)response.StatusCode} ({kind}) to {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}"
        + (gorgiasError is null ? "." : $": {gorgiasError}");
}

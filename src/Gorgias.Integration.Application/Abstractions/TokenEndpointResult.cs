using Gorgias.Integration.Domain.Tokens;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>Why a call to Gorgias's authorization server did not succeed.</summary>
public enum AuthorizationServerError
{
    /// <summary>The code or refresh token is invalid, expired or revoked (<c>invalid_grant</c>).</summary>
    InvalidGrant,

    /// <summary>Gorgias does not accept the client id or secret (<c>invalid_client</c>): a configuration error.</summary>
    InvalidClient,

    /// <summary>Another OAuth error (<c>invalid_request</c>, <c>unauthorized_client</c>, <c>invalid_scope</c>, …).</summary>
    OAuthError,

    /// <summary>Gorgias answered 429; see the retry delay.</summary>
    RateLimited,

    /// <summary>Gorgias did not answer in time, dropped the connection or answered 5xx.</summary>
    Unavailable,

    /// <summary>The answer was not a usable token response (not JSON, missing fields, not a bearer token, too large).</summary>
    InvalidResponse,
}

/// <summary>The outcome of a token request: a grant or a typed error.</summary>
public sealed class TokenEndpointResult
{
    private TokenEndpointResult(TokenGrant? grant, string? idToken, AuthorizationServerError? error, string? errorCode, TimeSpan? retryAfter)
    {
        Grant = grant;
        IdToken = idToken;
        Error = error;
        ErrorCode = errorCode;
        RetryAfter = retryAfter;
    }

    /// <summary>The grant, when <see cref="Error"/> is null.</summary>
    public TokenGrant? Grant { get; }

    /// <summary>The raw id_token, when Gorgias sent one.</summary>
    public string? IdToken { get; }

    /// <summary>Null on success.</summary>
    public AuthorizationServerError? Error { get; }

    /// <summary>The OAuth <c>error</c> code as Gorgias sent it (never its description), for logs.</summary>
    public string? ErrorCode { get; }

    /// <summary>How long Gorgias asked to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>True when a grant came back.</summary>
    public bool IsSuccess => Error is null;

    /// <summary>True for errors that may pass by themselves (rate limit, unavailable).</summary>
    public bool IsTransient => Error is AuthorizationServerError.RateLimited or AuthorizationServerError.Unavailable;

    /// <summary>A successful result.</summary>
    public static TokenEndpointResult Success(TokenGrant grant, string? idToken = null)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return new(grant, idToken, null, null, null);
    }

    /// <summary>A failed result.</summary>
    public static TokenEndpointResult Failure(AuthorizationServerError error, string? errorCode = null, TimeSpan? retryAfter = null) =>
        new(null, null, error, errorCode, retryAfter);

    /// <summary>Never prints tokens.</summary>
    public override string ToString() => IsSuccess ? "TokenEndpointResult { Success }" : $"TokenEndpointResult {{ Error = {Error}, ErrorCode = {ErrorCode} }}";
}

/// <summary>The outcome of a revocation.</summary>
/// <param name="Revoked">True when Gorgias answered 200 (also for a token it no longer knows).</param>
/// <param name="Error">Why not, when not.</param>
/// <param name="RetryAfter">How long Gorgias asked to wait, when it said.</param>
public sealed record RevocationResult(bool Revoked, AuthorizationServerError? Error = null, TimeSpan? RetryAfter = null)
{
    /// <summary>A successful revocation.</summary>
    public static RevocationResult Success { get; } = new(true);
}

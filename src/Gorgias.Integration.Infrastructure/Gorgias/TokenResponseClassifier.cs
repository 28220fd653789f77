using System.Globalization;
using System.Text.Json;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Tokens;

namespace Gorgias.Integration.Infrastructure.Gorgias;

/// <summary>
/// Turns what Gorgias answered into a typed result. Anything that is not clearly a bearer token response or a
/// recognisable OAuth error is <see cref="AuthorizationServerError.InvalidResponse"/>: the adapter never guesses.
/// </summary>
internal static class TokenResponseClassifier
{
    private const int MaxErrorCodeLength = 64;

    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        MaxDepth = 16,

        // Two access_token members would let a proxy and this client read different tokens.
        AllowDuplicateProperties = false,
    };

    /// <summary>Classifies a token endpoint response.</summary>
    public static TokenEndpointResult ClassifyToken(GorgiasHttpResponse response)
    {
        if (response.StatusCode != 200)
        {
            return ClassifyFailure(response);
        }

        if (response.Body is not { } body)
        {
            return TokenEndpointResult.Failure(AuthorizationServerError.InvalidResponse);
        }

        try
        {
            using var document = JsonDocument.Parse(body, JsonOptions);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || NonEmptyString(root, "access_token") is not { } accessToken
                || !string.Equals(NonEmptyString(root, "token_type"), "bearer", StringComparison.OrdinalIgnoreCase))
            {
                return TokenEndpointResult.Failure(AuthorizationServerError.InvalidResponse);
            }

            var scope = NonEmptyString(root, "scope");
            var scopes = scope is null ? [] : scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var grant = new TokenGrant(accessToken, NonEmptyString(root, "refresh_token"), ExpiresIn(root), scopes, "Bearer");
            return TokenEndpointResult.Success(grant, NonEmptyString(root, "id_token"));
        }
        catch (JsonException)
        {
            return TokenEndpointResult.Failure(AuthorizationServerError.InvalidResponse);
        }
    }

    /// <summary>Classifies a revocation response: 200 is success (RFC 7009 §2.2, also for an unknown token).</summary>
    public static RevocationResult ClassifyRevocation(GorgiasHttpResponse response)
    {
        if (response.StatusCode == 200)
        {
            return RevocationResult.Success;
        }

        var failure = ClassifyFailure(response);
        return new RevocationResult(false, failure.Error, failure.RetryAfter);
    }

    /// <summary>Classifies a response that is not a 200.</summary>
    public static TokenEndpointResult ClassifyFailure(GorgiasHttpResponse response)
    {
        var status = response.StatusCode;
        if (status == 429)
        {
            return TokenEndpointResult.Failure(AuthorizationServerError.RateLimited, retryAfter: response.RetryAfter);
        }

        if (status >= 500)
        {
            return TokenEndpointResult.Failure(AuthorizationServerError.Unavailable, retryAfter: response.RetryAfter);
        }

        if (status is < 400)
        {
            // 1xx/2xx other than 200, and every 3xx: redirects are never followed, so the code and secret reach one host only.
            return TokenEndpointResult.Failure(AuthorizationServerError.InvalidResponse);
        }

        return ReadErrorCode(response.Body) switch
        {
            "invalid_grant" => TokenEndpointResult.Failure(AuthorizationServerError.InvalidGrant, "invalid_grant"),
            "invalid_client" => TokenEndpointResult.Failure(AuthorizationServerError.InvalidClient, "invalid_client"),
            { } code => TokenEndpointResult.Failure(AuthorizationServerError.OAuthError, code),
            null when status == 401 => TokenEndpointResult.Failure(AuthorizationServerError.InvalidClient),
            null => TokenEndpointResult.Failure(AuthorizationServerError.InvalidResponse),
        };
    }

    /// <summary>
    /// The <c>error</c> member of an OAuth error body. Only the code is kept: <c>error_description</c> is free text from
    /// the server and never travels further. A code that is not a short printable token is reported as <c>unrecognized_error</c>
    /// so nothing odd reaches the logs.
    /// </summary>
    private static string? ReadErrorCode(ReadOnlyMemory<byte>? body)
    {
        if (body is not { Length: > 0 } bytes)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, JsonOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object || NonEmptyString(document.RootElement, "error") is not { } error)
            {
                return null;
            }

            return error.Length <= MaxErrorCodeLength && error.All(static c => c is > ' ' and <= '~' and not '"' and not '\\')
                ? error
                : "unrecognized_error";
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A positive <c>expires_in</c>; 0, negative, absent or unreadable mean "not said" (null).</summary>
    private static long? ExpiresIn(JsonElement root)
    {
        if (!root.TryGetProperty("expires_in", out var value))
        {
            return null;
        }

        long seconds = 0;
        var read = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt64(out seconds),
            JsonValueKind.String => long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out seconds),
            _ => false,
        };
        return read && seconds > 0 ? seconds : null;
    }

    private static string? NonEmptyString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;
}

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>
/// Reads the claims of an OpenID Connect id_token. Gorgias publishes no JWKS, so the signature cannot be checked;
/// OpenID Connect Core §3.1.3.7 lets a client that got the token straight from the token endpoint over TLS rely on
/// that instead. The claims are still checked (audience, expiry, nonce) by the application.
/// </summary>
public interface IIdTokenReader
{
    /// <summary>The claims, or null when <paramref name="idToken"/> is not a well-formed JWT.</summary>
    IdTokenClaims? Read(string idToken);
}

/// <summary>The id_token claims the application checks.</summary>
/// <param name="Audiences">The <c>aud</c> values.</param>
/// <param name="ExpiresAt">The <c>exp</c> claim, if present.</param>
/// <param name="Nonce">The <c>nonce</c> claim, if present.</param>
/// <param name="Issuer">The <c>iss</c> claim, if present.</param>
public sealed record IdTokenClaims(IReadOnlyList<string> Audiences, DateTimeOffset? ExpiresAt, string? Nonce, string? Issuer);

using Gorgias.Integration.Application.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gorgias.Integration.Infrastructure.Gorgias;

/// <summary>
/// Reads id_token claims with <see cref="JsonWebToken"/> without validating a signature: Gorgias publishes no JWKS, and
/// the token came straight from the token endpoint over TLS (OpenID Connect Core §3.1.3.7). The application checks the claims.
/// </summary>
internal sealed class JsonWebTokenIdTokenReader : IIdTokenReader
{
    private readonly JsonWebTokenHandler _handler = new();

    /// <inheritdoc />
    public IdTokenClaims? Read(string idToken)
    {
        // CanReadToken also enforces the handler's size limit before anything is decoded.
        if (string.IsNullOrEmpty(idToken) || !_handler.CanReadToken(idToken))
        {
            return null;
        }

        try
        {
            var token = new JsonWebToken(idToken);
            if (token.IsEncrypted)
            {
                return null;
            }

            DateTimeOffset? expiresAt = token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var exp) && exp > 0
                && exp <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
                ? DateTimeOffset.FromUnixTimeSeconds(exp)
                : null;
            var nonce = token.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Nonce, out var n) && !string.IsNullOrEmpty(n) ? n : null;
            var issuer = string.IsNullOrEmpty(token.Issuer) ? null : token.Issuer;
            return new IdTokenClaims([.. token.Audiences], expiresAt, nonce, issuer);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException)
        {
            // SecurityTokenMalformedException (an ArgumentException): not a JWT after all.
            return null;
        }
    }
}

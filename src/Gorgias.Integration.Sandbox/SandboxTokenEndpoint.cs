using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static Gorgias.Integration.Sandbox.SandboxOAuthHttp;

namespace Gorgias.Integration.Sandbox;

/// <summary><c>/oauth/token</c>: the code and refresh grants, answered with Gorgias's <c>expires_in: 0</c>.</summary>
internal static class SandboxTokenEndpoint
{
    internal static async Task<IResult> TokenAsync(string account, HttpContext context, string basePath)
    {
        account = Normalize(account);
        var services = context.RequestServices;
        var options = Options(context);
        var state = services.GetRequiredService<SandboxState>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var form = await ReadFormAsync(context);
        services.GetRequiredService<SandboxMonitor>().RecordTokenRequest(form);
        NoStore(context.Response);

        if (!IsClient(context.Request, options))
        {
            return InvalidClient(context.Response);
        }

        var grantType = form.GetValueOrDefault("grant_type");
        string scope;
        string? nonce = null;
        string? refreshToken = null;
        var subject = "1";
        switch (grantType)
        {
            case "authorization_code":
                {
                    var value = form.GetValueOrDefault("code");
                    if (string.IsNullOrEmpty(value))
                    {
                        return OAuthError("invalid_request", "The code is missing.");
                    }

                    var code = state.RedeemCode(value);
                    if (code is null
                        || code.ExpiresAt <= now
                        || !string.Equals(code.Account, account, StringComparison.Ordinal)
                        || !string.Equals(code.ClientId, options.ClientId, StringComparison.Ordinal)
                        || !string.Equals(code.RedirectUri, form.GetValueOrDefault("redirect_uri"), StringComparison.Ordinal)
                        || !VerifiesPkce(code, form.GetValueOrDefault("code_verifier")))
                    {
                        return OAuthError("invalid_grant", "The code is invalid, expired, already used, or does not match the request.");
                    }

                    scope = code.Scope;
                    nonce = code.Nonce;
                    if (HasScope(scope, "offline"))
                    {
                        refreshToken = state.IssueRefreshToken(new RefreshGrant(account, options.ClientId, scope, subject));
                    }

                    break;
                }

            case "refresh_token":
                {
                    var value = form.GetValueOrDefault("refresh_token");
                    if (string.IsNullOrEmpty(value))
                    {
                        return OAuthError("invalid_request", "The refresh token is missing.");
                    }

                    if (options.RevokeGrantOnReuse && state.FindAnyRefreshToken(value) is { IsRevoked: true } reused)
                    {
                        // RFC 9700 4.14.2: a rotated refresh token presented again means it leaked; the whole grant goes.
                        reused.Family.Revoke();
                    }

                    var grant = state.FindRefreshToken(value);
                    if (grant is null
                        || !string.Equals(grant.Account, account, StringComparison.Ordinal)
                        || !string.Equals(grant.ClientId, options.ClientId, StringComparison.Ordinal)
                        || (options.RotateRefreshTokens && !grant.TryRevoke()))
                    {
                        return OAuthError("invalid_grant", "The refresh token is invalid or revoked.");
                    }

                    scope = grant.Scope;
                    subject = grant.Subject;
                    if (options.RotateRefreshTokens)
                    {
                        refreshToken = state.IssueRefreshToken(new RefreshGrant(account, options.ClientId, scope, subject, grant.Family));
                    }

                    break;
                }

            default:
                return OAuthError("unsupported_grant_type", "Use authorization_code or refresh_token.");
        }

        var issuer = IssuerFor(context.Request, basePath, account);
        var issuedAt = now.ToUnixTimeSeconds();
        var expiresAt = (now + options.AccessTokenLifetime).ToUnixTimeSeconds();
        var accessToken = SandboxJwt.Issue(state.SigningKey, SandboxJwt.AccessTokenHeader, claims =>
        {
            claims.WriteString("iss", issuer);
            claims.WriteString("sub", subject);
            claims.WriteString("aud", issuer + "/api");
            claims.WriteNumber("iat", issuedAt);
            claims.WriteNumber("exp", expiresAt);
            claims.WriteString("azp", options.ClientId);
            claims.WriteString("jti", SandboxState.NewSecret());
            claims.WriteString("scope", scope);
        });

        string? idToken = null;
        if (grantType == "authorization_code" && HasScope(scope, "openid"))
        {
            idToken = SandboxJwt.Issue(state.SigningKey, SandboxJwt.IdTokenHeader, claims =>
            {
                claims.WriteString("iss", issuer);
                claims.WriteString("sub", subject);
                claims.WriteString("aud", options.ClientId);
                claims.WriteNumber("iat", issuedAt);
                claims.WriteNumber("exp", expiresAt);
                if (nonce is not null)
                {
                    claims.WriteString("nonce", nonce);
                }

                claims.WriteString("email", $"owner@{account}.example");
                claims.WriteString("name", "Sandbox Owner");
            });
        }

        return Json(StatusCodes.Status200OK, json =>
        {
            json.WriteString("access_token", accessToken);

            // Gorgias says 0 although the token lives 24 hours; the JWT's exp is the truth.
            json.WriteNumber("expires_in", 0);
            if (idToken is not null)
            {
                json.WriteString("id_token", idToken);
            }

            if (refreshToken is not null)
            {
                json.WriteString("refresh_token", refreshToken);
            }

            json.WriteString("scope", scope);
            json.WriteString("token_type", "Bearer");
        });
    }
    private static bool VerifiesPkce(AuthorizationCode code, string? verifier)
    {
        if (code.CodeChallenge is null)
        {
            // Like Gorgias today: no challenge at authorize, nothing to check (an unexpected verifier is ignored).
            return true;
        }

        if (string.IsNullOrEmpty(verifier) || verifier.Length is < 43 or > 128)
        {
            return false;
        }

        var computed = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(code.CodeChallenge));
    }

    private static string IssuerFor(HttpRequest request, string basePath, string account) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}{basePath}/{account}";
}

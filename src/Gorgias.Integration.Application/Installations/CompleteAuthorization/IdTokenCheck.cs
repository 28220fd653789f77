using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Security;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Domain.Authorization;

namespace Gorgias.Integration.Application.Installations.CompleteAuthorization;

/// <summary>
/// The id_token checks of OpenID Connect Core §3.1.3.7 that need no signature (Gorgias publishes no JWKS): present when
/// <c>openid</c> was requested, issued by the account's own Gorgias, for this client, unexpired, with the nonce sent.
/// </summary>
internal static class IdTokenCheck
{
    /// <summary>Why the id_token is refused, or null when it passes (or none was due).</summary>
    public static string? Problem(string? idToken, IIdTokenReader reader, GorgiasOptions options, AuthorizationRequest request, DateTimeOffset now)
    {
        if (idToken is null)
        {
            // Without openid there is no id_token to expect; with it, a missing one would skip the nonce check.
            return options.ScopeList.Contains("openid", StringComparer.Ordinal) ? "missing" : null;
        }

        var claims = reader.Read(idToken);
        if (claims is null)
        {
            return "malformed";
        }

        if (!IsIssuer(claims.Issuer, options.BaseUriFor(request.Account)))
        {
            return "issuer";
        }

        if (!claims.Audiences.Contains(options.ClientId, StringComparer.Ordinal))
        {
            return "audience";
        }

        if (claims.ExpiresAt is not { } expiresAt || expiresAt <= now)
        {
            return "expired";
        }

        return ConstantTime.AreEqual(claims.Nonce, request.Nonce) ? null : "nonce";
    }

    // The issuer is the account's base URL (https://acme.gorgias.com, as Gorgias and the sandbox issue it); scheme and
    // host compare case-insensitively as URIs do, the path exactly, a trailing slash aside.
    private static bool IsIssuer(string? issuer, Uri expected) =>
        issuer is not null
        && Uri.TryCreate(issuer, UriKind.Absolute, out var actual)
        && string.IsNullOrEmpty(actual.Query) && string.IsNullOrEmpty(actual.Fragment) && string.IsNullOrEmpty(actual.UserInfo)
        && string.Equals(actual.GetLeftPart(UriPartial.Authority), expected.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
        && string.Equals(actual.AbsolutePath.TrimEnd('/'), expected.AbsolutePath.TrimEnd('/'), StringComparison.Ordinal);
}

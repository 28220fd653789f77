using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Gorgias.Integration.Application.Common.Security;

/// <summary>Random values and hashes for the OAuth flow, all from the operating system's CSPRNG.</summary>
internal static class OAuthSecrets
{
    /// <summary>256 random bits, base64url (43 characters): used for state, nonce, PKCE verifier and browser ids.</summary>
    public static string NewRandomValue() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The PKCE S256 challenge of <paramref name="verifier"/> (RFC 7636 §4.2).</summary>
    public static string CodeChallenge(string verifier) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>A SHA-256 hash (base64url) of a browser's secret, so the database never holds the cookie value.</summary>
    public static string HashBrowserId(string browserId) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(browserId)));
}

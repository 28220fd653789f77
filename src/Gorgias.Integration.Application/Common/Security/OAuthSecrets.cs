using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Gorgias.Integration.Application.Common.Security;

/// <summary>
/// Random values and hashes for the OAuth flow, all from the operating system's CSPRNG. The bytes in between live on
/// the stack: each install start makes three random values and two hashes, and only their text is kept.
/// </summary>
internal static class OAuthSecrets
{
    // Values longer than this are hashed from a new array instead of the stack (browser ids are at most 256 characters).
    private const int MaxStackBytes = 1_024;

    /// <summary>256 random bits, base64url (43 characters): used for state, nonce, PKCE verifier and browser ids.</summary>
    public static string NewRandomValue()
    {
        Span<byte> random = stackalloc byte[32];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
    }

    /// <summary>The PKCE S256 challenge of <paramref name="verifier"/> (RFC 7636 §4.2).</summary>
    public static string CodeChallenge(string verifier) => HashToBase64Url(verifier, Encoding.ASCII);

    /// <summary>A SHA-256 hash (base64url) of a browser's secret, so neither the state nor a log ever holds the cookie value.</summary>
    public static string HashBrowserId(string browserId) => HashToBase64Url(browserId, Encoding.UTF8);

    /// <summary>Whether <paramref name="browserId"/> hashes to <paramref name="binding"/>, compared in constant time.</summary>
    public static bool BindingMatches(string binding, string browserId) => ConstantTime.AreEqual(binding, HashBrowserId(browserId));

    private static string HashToBase64Url(string value, Encoding encoding)
    {
        ArgumentNullException.ThrowIfNull(value);
        var length = encoding.GetMaxByteCount(value.Length);
        if (length > MaxStackBytes)
        {
            return Base64Url.EncodeToString(SHA256.HashData(encoding.GetBytes(value)));
        }

        Span<byte> bytes = stackalloc byte[length];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes[..encoding.GetBytes(value, bytes)], hash);
        return Base64Url.EncodeToString(hash);
    }
}

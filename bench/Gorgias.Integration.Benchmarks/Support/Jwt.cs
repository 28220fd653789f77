using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Gorgias.Integration.Benchmarks.Support;

/// <summary>Gorgias-shaped JWT access tokens (HS256 header, a signature of random bytes: nobody checks it here).</summary>
internal static class Jwt
{
    private static readonly string Header = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);

    public static string Mint(string account, DateTimeOffset expiresAt)
    {
        var issuedAt = expiresAt - TimeSpan.FromHours(24);
        var payload = $$"""{"iss":"https://{{account}}.gorgias.com","sub":"{{RandomNumberGenerator.GetInt32(1, 1_000_000)}}","aud":"bench-client","scope":"openid email profile offline account:read","iat":{{issuedAt.ToUnixTimeSeconds()}},"exp":{{expiresAt.ToUnixTimeSeconds()}},"jti":"{{Guid.NewGuid():N}}"}""";
        return $"{Header}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
    }

    /// <summary>An opaque refresh token of 256 random bits.</summary>
    public static string NewRefreshToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}

using System.Buffers.Text;
using System.Text;

namespace Gorgias.Integration.Domain.Tests.Tokens;

/// <summary>Builds real compact JWT strings (base64url header.payload.signature); the signature is never checked.</summary>
internal static class TestJwt
{
    private const string Header = """{"alg":"RS256","typ":"JWT"}""";

    public static string WithPayload(string payloadJson) =>
        $"{Encode(Header)}.{Encode(payloadJson)}.{Encode("not-a-real-signature")}";

    /// <summary>A Gorgias-like access token: <c>exp - iat = 86400</c>.</summary>
    public static string WithExp(long exp) => WithPayload(
        $$"""{"iss":"https://acme.gorgias.com","sub":"42","aud":"https://acme.gorgias.com/api","iat":{{exp - 86_400}},"exp":{{exp}},"scope":"openid offline write:all"}""");

    public static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    public static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);
}

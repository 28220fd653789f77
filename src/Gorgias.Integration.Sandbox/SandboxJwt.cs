using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gorgias.Integration.Sandbox;

/// <summary>
/// Minimal HS256 JWTs. Gorgias signs with RS256 and clients never check the signature; the sandbox only needs to
/// recognise its own tokens on <c>/api/*</c>, so a per-process symmetric key is enough and needs no package.
/// </summary>
internal static class SandboxJwt
{
    private const int MaxTokenLength = 16 * 1024;

    /// <summary>The header of access tokens (RFC 9068 <c>at+jwt</c>), so an id_token is never accepted on the API.</summary>
    public static readonly string AccessTokenHeader = Base64Url.EncodeToString("""{"alg":"HS256","typ":"at+jwt"}"""u8);

    /// <summary>The header of id_tokens.</summary>
    public static readonly string IdTokenHeader = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);

    /// <summary>Signs the claims that <paramref name="writeClaims"/> writes into the payload object.</summary>
    public static string Issue(byte[] key, string encodedHeader, Action<Utf8JsonWriter> writeClaims)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeClaims(writer);
            writer.WriteEndObject();
        }

        var signingInput = encodedHeader + "." + Base64Url.EncodeToString(buffer.ToArray());
        var signature = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The payload of <paramref name="token"/> when this process signed it with <paramref name="encodedHeader"/>; null otherwise.</summary>
    public static JsonDocument? Read(byte[] key, string encodedHeader, string token)
    {
        if (token.Length > MaxTokenLength)
        {
            return null;
        }

        var parts = token.Split('.');
        if (parts.Length != 3 || !string.Equals(parts[0], encodedHeader, StringComparison.Ordinal))
        {
            return null;
        }

        var expected = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        byte[] signature;
        byte[] payload;
        try
        {
            signature = Base64Url.DecodeFromChars(parts[2]);
            payload = Base64Url.DecodeFromChars(parts[1]);
        }
        catch (FormatException)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            return null;
        }

        try
        {
            var document = JsonDocument.Parse(payload);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

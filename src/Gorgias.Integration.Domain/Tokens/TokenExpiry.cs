using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Gorgias.Integration.Domain.Tokens;

/// <summary>
/// When an access token expires. Gorgias answers <c>expires_in: 0</c> although its tokens live 24 hours,
/// so the order is: a positive <c>expires_in</c>; else the access token's JWT <c>exp</c> claim; else 24 hours.
/// Zero or a missing value never means "never expires" nor "already expired".
/// </summary>
internal static class TokenExpiry
{
    /// <summary>The lifetime assumed when nothing says otherwise (Gorgias's documented 24 hours).</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(24);

    /// <summary>The longest lifetime believed from <c>expires_in</c> or the JWT <c>exp</c>; a larger value is clamped to it.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);

    private const int MaxTokenLength = 16 * 1024;

    /// <summary>Computes the expiry of <paramref name="accessToken"/> granted at <paramref name="now"/>.</summary>
    public static DateTimeOffset Compute(long? expiresIn, string accessToken, DateTimeOffset now)
    {
        if (expiresIn is > 0)
        {
            var seconds = Math.Min(expiresIn.Value, (long)MaxLifetime.TotalSeconds);
            return now.AddSeconds(seconds);
        }

        if (TryReadJwtExpiry(accessToken, out var exp))
        {
            // The claim is no more trusted than expires_in: a far-future exp must not stop refreshes for years.
            var latest = now + MaxLifetime;
            return exp > latest ? latest : exp;
        }

        return now + DefaultLifetime;
    }

    /// <summary>Reads the <c>exp</c> claim of a JWT without checking its signature; false when it is not a JWT with one.</summary>
    public static bool TryReadJwtExpiry(string? token, out DateTimeOffset expiresAt)
    {
        expiresAt = default;
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return false;
        }

        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var secondDot = firstDot < 0 ? -1 : token.IndexOf('.', firstDot + 1);
        if (firstDot <= 0 || secondDot < 0 || token.IndexOf('.', secondDot + 1) >= 0)
        {
            return false;
        }

        var payload = token.AsSpan(firstDot + 1, secondDot - firstDot - 1);
        var buffer = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(payload.Length));
        try
        {
            if (Base64Url.DecodeFromChars(payload, buffer, out _, out var written) != OperationStatus.Done)
            {
                return false;
            }

            var reader = new Utf8JsonReader(buffer.AsSpan(0, written));
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("exp", out var exp)
                || exp.ValueKind != JsonValueKind.Number
                || !exp.TryGetInt64(out var seconds)
                || seconds <= 0
                || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            {
                return false;
            }

            expiresAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

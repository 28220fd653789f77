namespace Gorgias.Integration.Web;

/// <summary>
/// Refuses admin API keys that a person typed rather than a generator made. Real randomness cannot be measured
/// from one string, so this is a conservative estimate: each character is worth the bits of the alphabet its
/// character classes span (lower case 26, upper case 26, digits 10, others 33), but never more than
/// log2(distinct characters) + 2; a character that repeats or continues the previous one (<c>aa</c>, <c>12</c>) or
/// ends a three-character run seen earlier in the key (<c>changeme-changeme</c>) is worth 1 bit.
/// <c>openssl rand -base64 32</c> scores 230–300 bits; <c>dev-admin-key-change-me</c> 126. Being conservative, it
/// refuses some keys of exactly 128 random bits (e.g. 3% of <c>openssl rand -base64 16</c>): generate 32 bytes.
/// </summary>
internal static class AdminApiKeyStrength
{
    /// <summary>The least estimated randomness an admin key must have.</summary>
    public const int MinimumBits = 128;

    /// <summary>The configuration key the Host reads the admin key from.</summary>
    public const string ConfigurationKey = "Integration:AdminApiKey";

    /// <summary>Why <paramref name="apiKey"/> is not usable as an admin key, naming the key and the fix; null when it is.</summary>
    public static string? FindProblem(string? apiKey)
    {
        const string Fix = "Generate one with `openssl rand -base64 32`.";
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            return $"{ConfigurationKey} must be set (it protects /installations). {Fix}";
        }

        if (char.IsWhiteSpace(apiKey[0]) || char.IsWhiteSpace(apiKey[^1]))
        {
            // HTTP drops a header value's surrounding whitespace, so such a key could never be presented.
            return $"{ConfigurationKey} starts or ends with whitespace. {Fix}";
        }

        var bits = EstimateBits(apiKey);
        return bits < MinimumBits
            ? $"{ConfigurationKey} is too easy to guess (about {bits:0} bits of randomness, at least {MinimumBits} needed). {Fix}"
            : null;
    }

    /// <summary>The estimated randomness of <paramref name="key"/>, in bits (see the class remarks).</summary>
    public static double EstimateBits(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        bool lower = false, upper = false, digit = false, other = false;
        var distinct = new HashSet<char>();
        foreach (var c in key)
        {
            lower |= char.IsAsciiLetterLower(c);
            upper |= char.IsAsciiLetterUpper(c);
            digit |= char.IsAsciiDigit(c);
            other |= !char.IsAsciiLetterOrDigit(c);
            distinct.Add(c);
        }

        var alphabet = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (other ? 33 : 0);
        var perCharacter = Math.Min(Math.Log2(alphabet), Math.Log2(distinct.Count) + 2);
        var bits = perCharacter;
        for (var i = 1; i < key.Length; i++)
        {
            var predictable = Math.Abs(key[i] - key[i - 1]) <= 1
                || (i >= 2 && key.AsSpan(0, i).IndexOf(key.AsSpan(i - 2, 3), StringComparison.Ordinal) >= 0);
            bits += predictable ? 1 : perCharacter;
        }

        return bits;
    }
}

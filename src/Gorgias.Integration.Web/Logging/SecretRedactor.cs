using System.Text.RegularExpressions;

namespace Gorgias.Integration.Web.Logging;

/// <summary>Replaces OAuth secrets in text with <c>[redacted]</c>.</summary>
internal static partial class SecretRedactor
{
    public const string Mask = "[redacted]";

    /// <summary>The text with every code, state, token, secret and credential replaced; the same instance when there is none.</summary>
    public static string Redact(string text)
    {
        if (text.Length == 0 || !MayContainSecret(text))
        {
            return text;
        }

        text = SecretParameter().Replace(text, "${name}=" + Mask);
        text = Credential().Replace(text, "${scheme} " + Mask);
        return Jwt().Replace(text, Mask);
    }

    // A cheap pre-check keeps the common log line free of regex work.
    private static bool MayContainSecret(string text) =>
        text.Contains('=', StringComparison.Ordinal) || text.Contains("Bearer", StringComparison.OrdinalIgnoreCase)
        || text.Contains("Basic", StringComparison.OrdinalIgnoreCase) || text.Contains("eyJ", StringComparison.Ordinal);

    [GeneratedRegex(@"(?<name>\b(?:code|state|nonce|token|access_token|refresh_token|id_token|client_secret|code_verifier|code_challenge))=[^&#\s""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretParameter();

    [GeneratedRegex(@"(?<scheme>\b(?:Bearer|Basic))\s+[A-Za-z0-9\-._~+/]+=*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Credential();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.?[A-Za-z0-9_-]*", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();
}

namespace Gorgias.Integration.Infrastructure.Storage;

/// <summary>How both storage adapters keep a scope list in one text column: space-separated.</summary>
internal static class StoredScopes
{
    /// <summary>OAuth scope tokens contain no spaces (RFC 6749 §3.3), so a space-separated list round-trips.</summary>
    public static string Join(IReadOnlyList<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        foreach (var scope in scopes)
        {
            if (string.IsNullOrEmpty(scope) || scope.Contains(' ', StringComparison.Ordinal))
            {
                throw new ArgumentException($"The scope '{scope}' is empty or contains a space; it cannot be stored.", nameof(scopes));
            }
        }

        return string.Join(' ', scopes);
    }

    public static IReadOnlyList<string> Split(string value) =>
        value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>How domain values are written to columns: times as Unix milliseconds (sortable, compact), scopes space-separated.</summary>
internal static class SqliteValues
{
    public static long ToUnixMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static long? ToUnixMs(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromUnixMs(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    public static DateTimeOffset? FromUnixMs(long? value) =>
        value is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>OAuth scope tokens contain no spaces (RFC 6749 §3.3), so a space-separated list round-trips.</summary>
    public static string JoinScopes(IReadOnlyList<string> scopes)
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

    public static IReadOnlyList<string> SplitScopes(string value) =>
        value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>Which scope a Gorgias API request needs, and whether a granted set has it.</summary>
internal static class GorgiasScopes
{
    /// <summary>The deprecated scope that Gorgias still accepts for every resource.</summary>
    public const string WriteAll = "write:all";

    // The path segment under /api/ and the scope prefix Gorgias documents for it; other paths are not checked here.
    private static readonly Dictionary<string, string> Resources = new(StringComparer.OrdinalIgnoreCase)
    {
        ["account"] = "account",
        ["users"] = "users",
        ["customers"] = "customers",
        ["tickets"] = "tickets",
        ["custom-fields"] = "custom_fields",
        ["events"] = "events",
        ["integrations"] = "integrations",
        ["jobs"] = "jobs",
        ["macros"] = "macros",
        ["rules"] = "rules",
        ["satisfaction-surveys"] = "satisfaction_survey",
        ["tags"] = "tags",
    };

    private static readonly Dictionary<string, (string Read, string Write)> Names =
        Resources.Values.Distinct().ToDictionary(r => r, r => (r + ":read", r + ":write"), StringComparer.Ordinal);

    /// <summary>The scope <paramref name="method"/> on <paramref name="relativePath"/> (starting <c>/api/</c>) needs, or null when unknown.</summary>
    public static string? RequiredFor(HttpMethod method, ReadOnlySpan<char> relativePath)
    {
        const string prefix = "/api/";
        if (!relativePath.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = relativePath[prefix.Length..];
        var end = rest.IndexOfAny('/', '?');
        var segment = end < 0 ? rest : rest[..end];
        if (!Resources.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(segment, out var resource))
        {
            return null;
        }

        var (read, write) = Names[resource];
        return method == HttpMethod.Get || method == HttpMethod.Head ? read : write;
    }

    /// <summary>
    /// True when <paramref name="granted"/> covers <paramref name="required"/>: the scope itself, <c>write:all</c>, or for a
    /// read the same resource's write scope (a write grant never stops an app reading what it may change).
    /// </summary>
    public static bool Covers(IReadOnlyList<string> granted, string required)
    {
        var colon = required.IndexOf(':', StringComparison.Ordinal);
        var isRead = required.AsSpan(colon + 1).SequenceEqual("read");
        foreach (var scope in granted)
        {
            if (string.Equals(scope, required, StringComparison.Ordinal) || string.Equals(scope, WriteAll, StringComparison.Ordinal))
            {
                return true;
            }

            if (isRead && scope.Length == colon + 6 && scope.AsSpan(0, colon + 1).SequenceEqual(required.AsSpan(0, colon + 1))
                && scope.AsSpan(colon + 1).SequenceEqual("write"))
            {
                return true;
            }
        }

        return false;
    }
}

using Gorgias.Integration.Infrastructure.Storage;

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>How domain values are written to columns: times as Unix milliseconds (sortable, compact), scopes space-separated.</summary>
internal static class SqliteValues
{
    public static long ToUnixMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static long? ToUnixMs(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromUnixMs(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    public static DateTimeOffset? FromUnixMs(long? value) =>
        value is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public static string JoinScopes(IReadOnlyList<string> scopes) => StoredScopes.Join(scopes);

    public static IReadOnlyList<string> SplitScopes(string value) => StoredScopes.Split(value);
}

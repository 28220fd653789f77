using Gorgias.Integration.Infrastructure.Storage;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>
/// How domain values are written to columns: instants as <c>timestamptz</c> cut to the millisecond (what the SQLite
/// adapter keeps, so both adapters return equal values), scopes space-separated.
/// </summary>
internal static class PostgreSqlValues
{
    /// <summary>The instant as stored: UTC (Npgsql writes only offset 0 to <c>timestamptz</c>), whole milliseconds.</summary>
    public static DateTimeOffset ToStored(DateTimeOffset value) => DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());

    public static DateTimeOffset? ToStored(DateTimeOffset? value) => value is { } v ? ToStored(v) : null;

    /// <summary>Npgsql reads <c>timestamptz</c> as a UTC <see cref="DateTime"/>.</summary>
    public static DateTimeOffset FromStored(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static DateTimeOffset? FromStored(DateTime? value) => value is { } v ? FromStored(v) : null;

    public static string JoinScopes(IReadOnlyList<string> scopes) => StoredScopes.Join(scopes);

    public static IReadOnlyList<string> SplitScopes(string value) => StoredScopes.Split(value);
}

using Gorgias.Integration.Infrastructure.Storage;
using Microsoft.Data.Sqlite;

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

    /// <summary>
    /// Gives <paramref name="command"/>'s parameter <paramref name="name"/> its value (<see langword="null"/>: SQL NULL),
    /// adding it on the first use: a kept statement (<see cref="SqliteKeptConnection.Statement"/>) keeps its
    /// parameter objects between uses.
    /// </summary>
    public static void Bind(this SqliteCommand command, string name, SqliteType type, object? value)
    {
        var parameters = command.Parameters;
        var index = parameters.IndexOf(name);
        var parameter = index >= 0 ? parameters[index] : parameters.Add(name, type);
        parameter.Value = value ?? DBNull.Value;
    }
}

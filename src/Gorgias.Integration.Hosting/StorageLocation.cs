using Microsoft.Data.Sqlite;
using Npgsql;

namespace Gorgias.Integration;

/// <summary>
/// Where <c>ConnectionStrings:Integration</c> puts the database. SQLite alone would resolve a relative path against
/// whatever the current directory is and create a missing file, so a typo silently starts an empty database
/// somewhere else; the Host (against its content root) and the command-line host (against the working directory)
/// resolve it themselves and refuse a folder that does not exist.
/// </summary>
internal static class StorageLocation
{
    public const string ConnectionStringKey = "ConnectionStrings:Integration";

    /// <summary>
    /// A description of a PostgreSQL connection string for the start-up line (server, port, database; never the
    /// password), or the problem naming the key and an example.
    /// </summary>
    public static (string Description, string? Problem) DescribePostgreSql(string? connectionString)
    {
        const string example = "e.g. \"Host=127.0.0.1;Port=5432;Database=gorgias;Username=gorgias;Password=…\"";
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return ("", $"{ConnectionStringKey} is missing: Integration:Storage=PostgreSql needs the server's connection string, {example}.");
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(builder.Host)
                ? ("", $"{ConnectionStringKey} names no Host: it is not a PostgreSQL connection string, {example}.")
                : ($"PostgreSQL at {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}", null);
        }
        catch (ArgumentException ex)
        {
            return ("", $"{ConnectionStringKey} is not a PostgreSQL connection string ({ex.Message}), {example}.");
        }
    }

    /// <summary>
    /// The connection string with its data source made absolute and a description of it for the start-up line,
    /// or the problem, naming the key, the resolved path and the fix.
    /// </summary>
    public static (string? ConnectionString, string Description, string? Problem) Resolve(string connectionString, string contentRoot)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            return (null, "", $"{ConnectionStringKey} is not a SQLite connection string ({ex.Message}), e.g. \"Data Source=gorgias-integration.db\".");
        }

        var dataSource = builder.DataSource;
        if (string.IsNullOrWhiteSpace(dataSource))
        {
            return (null, "", $"{ConnectionStringKey} has no Data Source, e.g. \"Data Source=gorgias-integration.db\".");
        }

        if (builder.Mode == SqliteOpenMode.Memory || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return (connectionString, $"SQLite at {dataSource}", null);
        }

        var path = Path.GetFullPath(dataSource, contentRoot);
        var folder = Path.GetDirectoryName(path)!;
        if (Directory.Exists(path))
        {
            return (null, "", $"{ConnectionStringKey} points at {path}, which is a folder: name the database file, e.g. \"Data Source={Path.Combine(path, "gorgias-integration.db")}\".");
        }

        if (!Directory.Exists(folder))
        {
            return (null, "", $"{ConnectionStringKey} points at {path}, but the folder {folder} does not exist. Create it, or fix the path "
                + $"(a relative path is resolved against the content root, {contentRoot}).");
        }

        builder.DataSource = path;
        return (builder.ConnectionString, $"SQLite at {path}", null);
    }
}

using System.Text.RegularExpressions;
using Npgsql;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>
/// The one <see cref="NpgsqlDataSource"/> of the integration's database (pooled connections, registered once) and the
/// schema its tables live in.
/// </summary>
internal sealed partial class PostgreSqlDatabase : IAsyncDisposable
{
    /// <summary>The schema used when none is configured.</summary>
    public const string DefaultSchema = "gorgias";

    public PostgreSqlDatabase(NpgsqlDataSource dataSource, string schema)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        if (!IsSchemaName(schema))
        {
            throw new ArgumentException(
                $"'{schema}' is not a usable schema name: use 1–63 lower-case letters, digits and underscores, starting with a letter or underscore (default '{DefaultSchema}').",
                nameof(schema));
        }

        DataSource = dataSource;
        Schema = schema;
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>A plain identifier, checked once: it is spliced into SQL text, where no parameter can stand for it.</summary>
    public string Schema { get; }

    /// <summary>True when <paramref name="schema"/> is a plain lower-case SQL identifier.</summary>
    public static bool IsSchemaName(string? schema) => schema is not null && SchemaName().IsMatch(schema);

    /// <summary><paramref name="sql"/> with every <c>{schema}</c> replaced by <see cref="Schema"/>.</summary>
    public string Sql(string sql) => sql.Replace("{schema}", Schema, StringComparison.Ordinal);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}

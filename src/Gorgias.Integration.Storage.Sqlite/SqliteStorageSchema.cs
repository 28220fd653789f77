using Gorgias.Integration.Application.Abstractions;
using Microsoft.Data.Sqlite;

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>
/// <see cref="IStorageSchema"/> for the SQLite file. The status is read on a read-only connection and a missing file is
/// version 0, so asking never creates a database where a typo pointed.
/// </summary>
internal sealed class SqliteStorageSchema(SqliteDatabase database) : IStorageSchema
{
    private string Description => $"SQLite at {Path.GetFullPath(database.DataSource)}";

    public async Task<StorageSchemaStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(database.DataSource))
        {
            return new StorageSchemaStatus(Description, 0, SqliteMigrations.LatestVersion);
        }

        var readOnly = new SqliteConnectionStringBuilder(database.ConnectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        try
        {
            await using var connection = new SqliteConnection(readOnly.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT CASE WHEN EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')
                            THEN (SELECT COALESCE(MAX(version), 0) FROM schema_migrations) ELSE 0 END;
                """;
            var current = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            return new StorageSchemaStatus(Description, current, SqliteMigrations.LatestVersion);
        }
        catch (SqliteException ex)
        {
            throw new InvalidOperationException(
                $"The database of ConnectionStrings:{SqliteStorageRegistration.ConnectionStringName} cannot be read at " +
                $"{Path.GetFullPath(database.DataSource)}: {ex.Message} Point it at a SQLite file this process can read.", ex);
        }
    }

    public async Task<StorageSchemaMigration> MigrateAsync(CancellationToken cancellationToken)
    {
        var before = await GetStatusAsync(cancellationToken);
        await database.EnsureMigratedAsync(cancellationToken);
        var after = await GetStatusAsync(cancellationToken);
        return new StorageSchemaMigration(after, after.CurrentVersion - before.CurrentVersion);
    }
}

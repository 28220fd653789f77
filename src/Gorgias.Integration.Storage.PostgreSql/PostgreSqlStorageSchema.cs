using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Npgsql;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>
/// <see cref="IStorageSchema"/> for the PostgreSQL schema. The status is read on a plain connection that neither creates
/// the schema nor migrates it.
/// </summary>
internal sealed class PostgreSqlStorageSchema(PostgreSqlDatabase database) : IStorageSchema
{
    private string Description
    {
        get
        {
            // NpgsqlDataSource hands out its connection string without the password.
            var builder = new NpgsqlConnectionStringBuilder(database.DataSource.ConnectionString);
            return $"PostgreSQL at {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}, schema {database.Schema}";
        }
    }

    public async Task<StorageSchemaStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
            var current = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT CASE WHEN to_regclass(@Table) IS NULL THEN 0 ELSE -1 END;",
                new { Table = database.Schema + ".schema_migrations" }, cancellationToken: cancellationToken));
            if (current < 0)
            {
                current = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                    database.Sql("SELECT COALESCE(MAX(version), 0) FROM {schema}.schema_migrations;"), cancellationToken: cancellationToken));
            }

            return new StorageSchemaStatus(Description, current, PostgreSqlMigrations.LatestVersion);
        }
        catch (NpgsqlException ex)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL database of ConnectionStrings:{PostgreSqlStorageRegistration.ConnectionStringName} cannot be reached " +
                $"({Description}): {ex.Message} Check the host, port, database, user and password in it.", ex);
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

using Dapper;
using Npgsql;

namespace Gorgias.Integration.Storage.PostgreSql.Tests;

public sealed class PostgreSqlMigrationTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Apply_Twice_AppliesEachMigrationOnce()
    {
        await using var db = database.Open("twice");

        Assert.Equal(PostgreSqlMigrations.All.Count, await PostgreSqlMigrations.ApplyAsync(db, default));
        Assert.Equal(0, await PostgreSqlMigrations.ApplyAsync(db, default));

        await using var connection = await db.DataSource.OpenConnectionAsync();
        var versions = (await connection.QueryAsync<int>("SELECT version FROM twice.schema_migrations ORDER BY version;")).ToList();
        Assert.Equal(PostgreSqlMigrations.All.Select(m => m.Version), versions);
    }

    [Fact]
    public async Task Apply_ByTenInstancesStartingAtOnce_AppliesEachMigrationExactlyOnce()
    {
        var instances = Enumerable.Range(0, 10).Select(_ => database.Open("race")).ToList();
        try
        {
            using var start = new Barrier(instances.Count);
            var applied = await Task.WhenAll(instances.Select(db => Task.Run(async () =>
            {
                start.SignalAndWait();
                return await PostgreSqlMigrations.ApplyAsync(db, default);
            })));

            Assert.Equal(PostgreSqlMigrations.All.Count, applied.Sum());
            Assert.Equal(instances.Count - 1, applied.Count(a => a == 0));
        }
        finally
        {
            foreach (var db in instances)
            {
                await db.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Apply_InAConfiguredSchema_CreatesTheTablesThereOnly()
    {
        await using var db = database.Open("tenant_b");
        await PostgreSqlMigrations.ApplyAsync(db, default);

        await using var connection = await db.DataSource.OpenConnectionAsync();
        var schemas = (await connection.QueryAsync<string>(
            "SELECT DISTINCT table_schema FROM information_schema.tables WHERE table_name = 'data_protection_keys';")).ToList();
        Assert.Contains("tenant_b", schemas);
        Assert.DoesNotContain("public", schemas);
    }

    [Fact]
    public async Task Apply_WhenTheSchemaIsNewerThanThisBuild_RefusesNamingTheSchemaAndVersion()
    {
        await using var db = database.Open("newer");
        await PostgreSqlMigrations.ApplyAsync(db, default);
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO newer.schema_migrations (version, description) VALUES (999, 'from the future');");
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgreSqlMigrations.ApplyAsync(db, default));
        Assert.Contains("'newer'", error.Message, StringComparison.Ordinal);
        Assert.Contains("999", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Gorgias")]
    [InlineData("gorgias; DROP TABLE x")]
    [InlineData("1gorgias")]
    [InlineData("gor\"gias")]
    public void Schema_ThatIsNotAPlainIdentifier_IsRefusedBeforeAnySql(string schema)
    {
        var error = Assert.Throws<ArgumentException>(() => new PostgreSqlDatabase(NpgsqlDataSource.Create(database.ConnectionString), schema));
        Assert.Contains("schema name", error.Message, StringComparison.Ordinal);
    }
}

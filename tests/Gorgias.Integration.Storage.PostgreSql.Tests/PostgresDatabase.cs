using Gorgias.Integration.Testing;
using Npgsql;

namespace Gorgias.Integration.Storage.PostgreSql.Tests;

/// <summary>A fresh database on the test run's PostgreSQL server, dropped afterwards.</summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync() => ConnectionString = await PostgresServer.CreateDatabaseAsync();

    public Task DisposeAsync() => PostgresServer.DropDatabaseAsync(ConnectionString);

    /// <summary>A database handle as one instance of the app would have it: its own data source.</summary>
    internal PostgreSqlDatabase Open(string schema = PostgreSqlDatabase.DefaultSchema) =>
        new(NpgsqlDataSource.Create(ConnectionString), schema);
}

using Npgsql;

namespace Gorgias.Integration.Testing;

/// <summary>
/// The PostgreSQL server of the test run: <c>build/build.sh</c> starts a throwaway one on 127.0.0.1 and exports its
/// connection string as <see cref="EnvironmentVariable"/>. A test that needs it fails, loudly and with the fix, when it
/// is missing; it never skips.
/// </summary>
public static class PostgresServer
{
    /// <summary>The environment variable holding the server's connection string.</summary>
    public const string EnvironmentVariable = "GORGIAS_TEST_POSTGRES";

    /// <summary>The server's connection string (to its <c>postgres</c> database).</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set: these tests need a PostgreSQL server. Run them through ./build/build.sh, which starts " +
                $"a throwaway one, or start one yourself and set {EnvironmentVariable}=\"Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres\".");

    /// <summary>Creates a new, empty database for one test class and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "gorgias_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing the connections still open to it.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE);", connection);
        await command.ExecuteNonQueryAsync();
    }
}

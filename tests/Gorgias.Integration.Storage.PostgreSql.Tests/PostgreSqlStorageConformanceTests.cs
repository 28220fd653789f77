using System.Text;
using Gorgias.Integration.Infrastructure.Secrets;
using Gorgias.Integration.Testing.Storage;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace Gorgias.Integration.Storage.PostgreSql.Tests;

/// <summary>The PostgreSQL adapter against the storage conformance suite, each test in its own fresh schema of the class's database.</summary>
public sealed class PostgreSqlStorageConformanceTests(PostgresDatabase database) : StorageConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override async Task<StorageUnderTest> CreateStorageAsync()
    {
        var db = database.Open("t_" + Guid.NewGuid().ToString("N"));
        await PostgreSqlMigrations.ApplyAsync(db, default);
        var store = PostgreSqlStore.Open(db, new EphemeralDataProtectionProvider());
        return new StorageUnderTest(store.Installations, store.Tokens, store.Access, store.Requests, store.PendingRevocations,
            store.Transactions, store.Transactions, () => DumpAsync(db), db.DisposeAsync)
        {
            Counter = new PostgreSqlInstallationCounter(db),
        };
    }

    /// <summary>Every value of every table of the schema as PostgreSQL returns it: bytea as its raw bytes, the rest as UTF-8 text.</summary>
    internal static async Task<IReadOnlyList<byte[]>> DumpAsync(PostgreSqlDatabase db)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = @schema;", connection))
        {
            list.Parameters.AddWithValue("schema", db.Schema);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var rows = new List<byte[]>();
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"SELECT * FROM {db.Schema}.{table};", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                using var row = new MemoryStream();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.GetValue(i);
                    row.Write(value is byte[] bytes ? bytes : Encoding.UTF8.GetBytes(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
                    row.WriteByte(0);
                }

                rows.Add(row.ToArray());
            }
        }

        return rows;
    }
}

/// <summary>The adapters as one instance of the app builds them on one database handle.</summary>
internal sealed record PostgreSqlStore(
    PostgreSqlInstallationRepository Installations,
    PostgreSqlTokenSetRepository Tokens,
    PostgreSqlAuthorizationRequestStore Requests,
    PostgreSqlAccessQueries Access,
    PostgreSqlInstallTransactions Transactions,
    PostgreSqlPendingRevocationStore PendingRevocations)
{
    public static PostgreSqlStore Open(PostgreSqlDatabase db, IDataProtectionProvider provider)
    {
        var protector = new SecretProtector(provider);
        return new(new PostgreSqlInstallationRepository(db), new PostgreSqlTokenSetRepository(db, protector),
            new PostgreSqlAuthorizationRequestStore(db), new PostgreSqlAccessQueries(db),
            new PostgreSqlInstallTransactions(db, protector), new PostgreSqlPendingRevocationStore(db, protector));
    }
}

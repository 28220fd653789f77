using System.Diagnostics;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Storage.PostgreSql;
using Npgsql;

namespace Gorgias.Integration.Benchmarks;

/// <summary>
/// The worker's expiring-soon query (<c>ListExpiringAsync</c>, one batch of 500) on a PostgreSQL schema holding
/// <c>count</c> installations with token sets, one in ten failing: rows inserted with one generate_series statement,
/// then ANALYZE, one warm-up and 20 timed runs. Needs GORGIAS_TEST_POSTGRES.
/// </summary>
internal static class PostgreSqlScaleRun
{
    public static async Task<int> RunAsync(int count)
    {
        var server = Environment.GetEnvironmentVariable("GORGIAS_TEST_POSTGRES")
            ?? throw new InvalidOperationException("GORGIAS_TEST_POSTGRES is not set: source build/postgres.sh and run postgres_start first.");
        await using var db = new PostgreSqlDatabase(NpgsqlDataSource.Create(server), "scale_" + Guid.NewGuid().ToString("N")[..8]);
        await db.EnsureMigratedAsync(default);
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        await using (var fill = new NpgsqlCommand(db.Sql($$"""
            INSERT INTO {schema}.installations (account, status, scopes, created_at, updated_at, version)
            SELECT 'acct' || n, 1, 'openid', now(), now(), 1 FROM generate_series(1, {{count}}) AS n;
            INSERT INTO {schema}.token_sets (account, access_token, refresh_token, expires_at, scopes, token_type, issued_at, version,
                                              refresh_failures, next_refresh_at)
            SELECT 'acct' || n, '\x00', '\x00', now() + (n % 86400) * interval '1 second', 'openid', 'Bearer', now(), 1,
                   CASE WHEN n % 10 = 0 THEN 1 ELSE 0 END, CASE WHEN n % 10 = 0 THEN now() + (n % 3600) * interval '1 second' END
            FROM generate_series(1, {{count}}) AS n;
            ANALYZE {schema}.installations, {schema}.token_sets;
            """), connection))
        {
            await fill.ExecuteNonQueryAsync();
        }

        var queries = new PostgreSqlAccessQueries(db);
        var now = DateTimeOffset.UtcNow;
        await queries.ListExpiringAsync(now.AddMinutes(30), now, 500, CancellationToken.None);
        var times = new List<double>();
        IReadOnlyList<AccountName> listed = [];
        for (var i = 0; i < 20; i++)
        {
            var watch = Stopwatch.StartNew();
            listed = await queries.ListExpiringAsync(now.AddMinutes(30), now, 500, CancellationToken.None);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine($"PostgreSQL expiring-soon query, {count:N0} installations, batch 500: {listed.Count} accounts; " +
            $"median {times[times.Count / 2]:F2} ms, max {times[^1]:F2} ms over {times.Count} runs");
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        await using (var drop = new NpgsqlCommand($"DROP SCHEMA {db.Schema} CASCADE;", connection))
        {
            await drop.ExecuteNonQueryAsync();
        }

        return 0;
    }
}

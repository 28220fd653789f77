using System.Diagnostics;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Tokens;
using Gorgias.Integration.Benchmarks.Support;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Secrets;
using Gorgias.Integration.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Benchmarks;

/// <summary>
/// <c>--scale [count]</c>: <c>count</c> active installations (default 100,000) in one SQLite file, their tokens
/// encrypted by the real <see cref="SecretProtector"/> and expiring evenly over the next 24 hours. Reports the background
/// worker's "expiring soon" query (time and <c>EXPLAIN QUERY PLAN</c>), database bytes per installation after a
/// checkpoint, and the Host's working set and GC heap with that database open and 10,000 tokens cached.
/// </summary>
internal static class ScaleRun
{
    private const int CachedAccounts = 10_000;
    private const int WorkerBatchSize = 500; // BackgroundRefreshOptions.BatchSize default
    private static readonly TimeSpan WorkerWindow = TimeSpan.FromMinutes(30); // BackgroundRefreshOptions.Window default

    public static async Task<int> RunAsync(int count)
    {
        using var storage = new BenchStorage();
        var now = DateTimeOffset.UtcNow;
        Console.WriteLine($"Scale run: {count:N0} installations in {storage.DatabasePath}");

        await using (var core = Composition.BuildCore(storage, new FakeAuthorizationServer(TimeProvider.System)))
        {
            await core.GetRequiredService<SqliteDatabase>().EnsureMigratedAsync(CancellationToken.None);
            var insert = Stopwatch.StartNew();
            Insert(storage, core.GetRequiredService<SecretProtector>(), count, now);
            Console.WriteLine($"inserted (encrypting 2 tokens each) in {insert.Elapsed.TotalSeconds:F1} s: {count / insert.Elapsed.TotalSeconds:N0} installations/s");

            using (var connection = Open(storage))
            {
                Scalar(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
                var bytes = new FileInfo(storage.DatabasePath).Length;
                Console.WriteLine($"database after checkpoint: {bytes:N0} bytes = {bytes / (double)count:F0} bytes per installation " +
                    $"(page_size {Scalar(connection, "PRAGMA page_size;")}, page_count {Scalar(connection, "PRAGMA page_count;")}, " +
                    $"freelist {Scalar(connection, "PRAGMA freelist_count;")}, WAL {new FileInfo(storage.DatabasePath + "-wal").Length:N0} bytes)");
                Console.WriteLine("EXPLAIN QUERY PLAN ListExpiringAsync (SqliteAccessQueries.ListExpiringSql):");
                foreach (var line in QueryPlan(connection, now + WorkerWindow))
                {
                    Console.WriteLine($"  {line}");
                }
            }

            var tokenSets = core.GetRequiredService<IAccessQueries>();
            foreach (var (window, label) in new[] { (TimeSpan.FromMinutes(5), "5 min"), (WorkerWindow, "30 min (worker default)"), (TimeSpan.FromHours(24), "24 h (every row)") })
            {
                var rows = 0;
                var samples = new double[100];
                for (var i = -5; i < samples.Length; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    rows = (await tokenSets.ListExpiringAsync(now + window, now, WorkerBatchSize, CancellationToken.None)).Count;
                    if (i >= 0)
                    {
                        samples[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                    }
                }

                Array.Sort(samples);
                Console.WriteLine($"ListExpiringAsync(window {label}, limit {WorkerBatchSize}): {rows} rows, median {samples[49]:F0} µs, p99 {samples[98]:F0} µs");
            }
        }

        SqliteConnection.ClearAllPools();
        Collect();
        var process = Process.GetCurrentProcess();
        var (host, address) = await Composition.StartHostAsync(storage, new FakeAuthorizationServer(TimeProvider.System));
        await using (host)
        {
            using (var http = new HttpClient())
            {
                using var health = await http.GetAsync(new Uri(address, "/health")); // opens the database through the Host
                Console.WriteLine($"Host on {address}: /health {(int)health.StatusCode}");
            }

            var provider = host.Services.GetRequiredService<IGorgiasAccessTokenProvider>();
            Collect();
            var before = Measure(process);
            Console.WriteLine($"Host started, database open, no token cached: working set {Mb(before.WorkingSet)}, GC heap {Mb(before.Heap)}");

            var fill = Stopwatch.StartNew();
            for (var i = 0; i < CachedAccounts; i++)
            {
                await provider.GetAccessTokenAsync(AccountName.Parse(AccountOf(i)));
            }

            fill.Stop();
            Console.WriteLine($"cached {CachedAccounts:N0} tokens (first GetAccessTokenAsync: read + decrypt) in {fill.Elapsed.TotalMilliseconds:F0} ms = {fill.Elapsed.TotalMicroseconds / CachedAccounts:F0} µs each");
            Collect();
            var after = Measure(process);
            Console.WriteLine($"with {CachedAccounts:N0} tokens cached: working set {Mb(after.WorkingSet)}, GC heap {Mb(after.Heap)} " +
                $"(+{Mb(after.WorkingSet - before.WorkingSet)} working set, +{(after.Heap - before.Heap) / (double)CachedAccounts:F0} heap bytes per cached token)");
            GC.KeepAlive(provider);
            await host.StopAsync();
        }

        return 0;
    }

    private static string AccountOf(int i) => $"shop-{i:D6}";

    private static void Insert(BenchStorage storage, SecretProtector protector, int count, DateTimeOffset now)
    {
        using var connection = Open(storage);
        using var installation = connection.CreateCommand();
        installation.CommandText = """
            INSERT INTO installations (account, status, scopes, created_at, updated_at, activated_at, version)
            VALUES ($account, $status, $scopes, $now, $now, $now, 1);
            """;
        using var tokens = connection.CreateCommand();
        tokens.CommandText = SqliteTokenSetRows.UpsertSql;
        var account = installation.Parameters.Add("$account", SqliteType.Text);
        installation.Parameters.AddWithValue("$status", (long)InstallationStatus.Active);
        installation.Parameters.AddWithValue("$scopes", "openid email profile offline account:read");
        installation.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        var tokenAccount = tokens.Parameters.Add("@Account", SqliteType.Text);
        var accessToken = tokens.Parameters.Add("@AccessToken", SqliteType.Blob);
        var refreshToken = tokens.Parameters.Add("@RefreshToken", SqliteType.Blob);
        var expiresAt = tokens.Parameters.Add("@ExpiresAt", SqliteType.Integer);
        tokens.Parameters.AddWithValue("@Scopes", "openid email profile offline account:read");
        tokens.Parameters.AddWithValue("@TokenType", "Bearer");
        tokens.Parameters.AddWithValue("@IssuedAt", now.ToUnixTimeMilliseconds());

        SqliteTransaction? transaction = null;
        for (var i = 0; i < count; i++)
        {
            if (i % 10_000 == 0)
            {
                transaction?.Commit();
                transaction?.Dispose();
                transaction = connection.BeginTransaction(deferred: false);
                installation.Transaction = transaction;
                tokens.Transaction = transaction;
            }

            var name = AccountName.Parse(AccountOf(i));
            var expiry = now + TimeSpan.FromHours(24) * ((i * 7919L % count) / (double)count); // evenly spread, not in insert order
            account.Value = name.Value;
            installation.ExecuteNonQuery();
            tokenAccount.Value = name.Value;
            accessToken.Value = protector.Protect(SecretProtector.TokenSetPurpose, name, "access_token", Jwt.Mint(name.Value, expiry));
            refreshToken.Value = protector.Protect(SecretProtector.TokenSetPurpose, name, "refresh_token", Jwt.NewRefreshToken());
            expiresAt.Value = expiry.ToUnixTimeMilliseconds();
            tokens.ExecuteNonQuery();
        }

        transaction?.Commit();
        transaction?.Dispose();
    }

    private static IEnumerable<string> QueryPlan(SqliteConnection connection, DateTimeOffset expiringBefore)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + SqliteAccessQueries.ListExpiringSql;
        command.Parameters.AddWithValue("@ExpiringBefore", expiringBefore.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("@ActiveStatus", (long)InstallationStatus.Active);
        command.Parameters.AddWithValue("@Limit", WorkerBatchSize);
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(3));
        }

        return lines;
    }

    private static SqliteConnection Open(BenchStorage storage)
    {
        var connection = new SqliteConnection(storage.ConnectionString + ";Pooling=False");
        connection.Open();
        Scalar(connection, "PRAGMA synchronous = NORMAL;");
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static (long WorkingSet, long Heap) Measure(Process process)
    {
        process.Refresh();
        return (process.WorkingSet64, GC.GetGCMemoryInfo().HeapSizeBytes);
    }

    private static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:F1} MB";
}

using System.Text;
using Dapper;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Microsoft.AspNetCore.DataProtection;

namespace Gorgias.Integration.Storage.PostgreSql.Tests;

/// <summary>What PostgreSQL adds to the conformance suite: a schema shared by instances, column types, query plans.</summary>
public sealed class PostgreSqlSchemaTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_123);

    [Fact]
    public async Task Migrate_FromFiveDataSourcesAtOnce_LeavesOneSchemaAtTheLatestVersion()
    {
        var instances = Enumerable.Range(0, 5).Select(_ => database.Open("five")).ToList();
        try
        {
            using var start = new Barrier(instances.Count);
            await Task.WhenAll(instances.Select(db => Task.Run(async () =>
            {
                start.SignalAndWait();
                await db.EnsureMigratedAsync(default);
            })));

            await using var connection = await instances[0].DataSource.OpenConnectionAsync();
            Assert.Equal(Enumerable.Range(1, PostgreSqlMigrations.LatestVersion), await connection.QueryAsync<int>("SELECT version FROM five.schema_migrations ORDER BY version;"));
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM pg_namespace WHERE nspname = 'five';"));
            Assert.Equal(["data_protection_keys", "event_inbox", "event_subscriptions", "installations", "pending_revocations",
                "schema_migrations", "token_sets", "used_authorization_requests"],
                await connection.QueryAsync<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'five' ORDER BY table_name;"));
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
    public async Task Columns_StoreCiphertextsAsBytea_InstantsAsTimestamptz_VersionsAsBigint_AndNoPlaintext()
    {
        await using var db = database.Open("types");
        var store = PostgreSqlStore.Open(db, new EphemeralDataProtectionProvider());
        var tokens = await InstallAsync(store, "acme");

        await using var connection = await db.DataSource.OpenConnectionAsync();
        var types = (await connection.QueryAsync<(string Table, string Column, string Type)>("""
            SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'types';
            """)).ToDictionary(c => $"{c.Table}.{c.Column}", c => c.Type);
        foreach (var column in new[] { "token_sets.access_token", "token_sets.refresh_token", "pending_revocations.refresh_token",
                     "used_authorization_requests.state_hash" })
        {
            Assert.Equal("bytea", types[column]);
        }

        foreach (var column in new[] { "token_sets.expires_at", "token_sets.next_refresh_at", "installations.created_at",
                     "pending_revocations.next_attempt_at", "used_authorization_requests.expires_at" })
        {
            Assert.Equal("timestamp with time zone", types[column]);
        }

        Assert.All(new[] { "installations.version", "installations.retired_token_version", "token_sets.version" },
            column => Assert.Equal("bigint", types[column]));

        var stored = await connection.QuerySingleAsync<(byte[] Access, byte[] Refresh)>(
            "SELECT access_token, refresh_token FROM types.token_sets WHERE account = 'acme';");
        Assert.Equal(-1, stored.Access.AsSpan().IndexOf(Encoding.UTF8.GetBytes(tokens.AccessToken)));
        Assert.Equal(-1, stored.Refresh.AsSpan().IndexOf(Encoding.UTF8.GetBytes(tokens.RefreshToken)));
    }

    [Fact]
    public async Task WorkerDueQueries_On10000Installations_WalkTheirIndexesWithoutASortOrATableScan()
    {
        await using var db = database.Open("plans");
        await db.EnsureMigratedAsync(default);
        await using var connection = await db.DataSource.OpenConnectionAsync();
        // 10,000 installations with tokens expiring over a day, one in ten failing, one in twenty queued for revocation.
        await connection.ExecuteAsync("""
            INSERT INTO plans.installations (account, status, scopes, created_at, updated_at, version)
            SELECT 'acct' || n, 1, 'openid', now(), now(), 1 FROM generate_series(1, 10000) AS n;
            INSERT INTO plans.token_sets (account, access_token, refresh_token, expires_at, scopes, token_type, issued_at, version,
                                          refresh_failures, next_refresh_at)
            SELECT 'acct' || n, '\x00', '\x00', now() + n * interval '9 seconds', 'openid', 'Bearer', now(), 1,
                   CASE WHEN n % 10 = 0 THEN 1 ELSE 0 END, CASE WHEN n % 10 = 0 THEN now() + n * interval '1 second' END
            FROM generate_series(1, 10000) AS n;
            INSERT INTO plans.pending_revocations (account, refresh_token, attempts, next_attempt_at, created_at)
            SELECT 'acct' || n, '\x00', 0, now() + n * interval '1 second', now() FROM generate_series(20, 10000, 20) AS n;
            ANALYZE plans.installations, plans.token_sets, plans.pending_revocations;
            """);
        var parameters = new
        {
            ExpiringBefore = DateTimeOffset.UtcNow.AddHours(1),
            Now = DateTimeOffset.UtcNow.AddHours(1),
            Limit = 100,
            ActiveStatus = (short)InstallationStatus.Active,
            FailingStatus = (short)InstallationStatus.RefreshFailing,
        };

        var expiring = await PlanAsync(connection, db.Sql(PostgreSqlAccessQueries.ListExpiringSql), parameters);
        var failing = await PlanAsync(connection, db.Sql(PostgreSqlAccessQueries.ListDueFailingSql), parameters);
        var revocations = await PlanAsync(connection,
            db.Sql(PostgreSqlPendingRevocationRows.SelectColumns + " WHERE next_attempt_at <= @Now ORDER BY next_attempt_at LIMIT @Limit;"), parameters);

        Assert.Contains("ix_token_sets_expiring", expiring, StringComparison.Ordinal);
        Assert.Contains("ix_token_sets_failing_due", failing, StringComparison.Ordinal);
        Assert.Contains("ix_pending_revocations_next_attempt_at", revocations, StringComparison.Ordinal);
        Assert.All(new[] { expiring, failing, revocations }, plan =>
        {
            Assert.DoesNotContain("Sort", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
        });
    }

    /// <summary>
    /// The operator's page reads one keyset page and that page's token rows: an ordinal index range and a primary-key
    /// lookup, whichever page, never the whole table nor a sort.
    /// </summary>
    [Fact]
    public async Task InstallationPageQueries_On10000Installations_UseTheOrdinalIndexAndThePrimaryKey_WithoutASort()
    {
        await using var db = database.Open("pages");
        await db.EnsureMigratedAsync(default);
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO pages.installations (account, status, scopes, created_at, updated_at, version)
            SELECT 'acct' || n, 1, 'openid', now(), now(), 1 FROM generate_series(1, 10000) AS n;
            INSERT INTO pages.token_sets (account, access_token, refresh_token, expires_at, scopes, token_type, issued_at, version)
            SELECT 'acct' || n, '\x00', '\x00', now(), 'openid', 'Bearer', now(), 1 FROM generate_series(1, 10000) AS n;
            ANALYZE pages.installations, pages.token_sets;
            """);

        var page = await PlanAsync(connection, db.Sql(PostgreSqlInstallationRows.ListPageSql), new { After = "acct5000", Limit = 51 });
        var first = await PlanAsync(connection, db.Sql(PostgreSqlInstallationRows.ListPageSql), new { After = (string?)null, Limit = 51 });
        var health = await PlanAsync(connection, db.Sql(PostgreSqlTokenSetRepository.ListHealthOfSql),
            new { Accounts = Enumerable.Range(5001, 51).Select(n => "acct" + n).ToArray() });

        Assert.Contains("ix_installations_account_ordinal", page, StringComparison.Ordinal);
        Assert.Contains("ix_installations_account_ordinal", first, StringComparison.Ordinal);
        Assert.Contains("token_sets_pkey", health, StringComparison.Ordinal);
        Assert.All(new[] { page, first, health }, plan =>
        {
            Assert.DoesNotContain("Sort", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
        });
    }

    private static async Task<string> PlanAsync(Npgsql.NpgsqlConnection connection, string sql, object parameters) =>
        string.Join(Environment.NewLine, await connection.QueryAsync<string>("EXPLAIN " + sql, parameters));

    internal static async Task<TokenSet> InstallAsync(PostgreSqlStore store, string account)
    {
        var installation = Installation.Start(AccountName.Parse(account), T0);
        installation.Activate(["openid"], T0);
        var tokens = TokenSet.Issue(AccountName.Parse(account), new TokenGrant("access-" + Guid.NewGuid(), "refresh-" + Guid.NewGuid(), 3600, ["openid"], "Bearer"), T0);
        await store.Transactions.RecordInstallAsync(installation, tokens, CancellationToken.None);
        return tokens;
    }
}

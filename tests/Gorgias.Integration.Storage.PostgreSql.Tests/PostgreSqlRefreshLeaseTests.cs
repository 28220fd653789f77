using Dapper;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Domain.Installations;
using Npgsql;

namespace Gorgias.Integration.Storage.PostgreSql.Tests;

/// <summary>The refresh lease as an advisory lock on the real server, each "instance" with its own data source (SECURITY.md row 53).</summary>
public sealed class PostgreSqlRefreshLeaseTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly AccountName Acme = AccountName.Parse("acme");

    [Fact]
    public async Task Row53_SecondInstance_WaitsForTheFirstsLease_AndSeesWhatItWroteBeforeReleasing()
    {
        await using var first = database.Open("lease_wait");
        await using var second = database.Open("lease_wait");
        await using (var setup = await first.DataSource.OpenConnectionAsync())
        {
            await setup.ExecuteAsync("CREATE TABLE IF NOT EXISTS public.lease_wait_result (account text PRIMARY KEY, token text NOT NULL);");
        }

        var held = await Lease(first).AcquireAsync(Acme, default);
        Assert.NotNull(held);
        var waiting = Lease(second).AcquireAsync(Acme, default);
        await WaitUntilAsync(first, "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database());", 1);
        Assert.False(waiting.IsCompleted);

        // The holder's result, stored (committed) before it lets go, as the refresher saves before releasing.
        await using (var connection = await first.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO public.lease_wait_result VALUES ('acme', 'from-first');");
        }

        await held.DisposeAsync();
        await using var next = await waiting;

        Assert.NotNull(next);
        await using var reader = await second.DataSource.OpenConnectionAsync();
        Assert.Equal("from-first", await reader.ExecuteScalarAsync<string>("SELECT token FROM public.lease_wait_result WHERE account = 'acme';"));
    }

    [Fact]
    public async Task Row53_HolderWhoseConnectionIsKilled_LosesTheLease_AndTheWaiterGetsItAtOnce()
    {
        await using var first = database.Open("lease_kill");
        await using var second = database.Open("lease_kill");
        _ = await Lease(first).AcquireAsync(Acme, default); // its process is about to die
        var waiting = Lease(second, TimeSpan.FromMinutes(5)).AcquireAsync(Acme, default);
        await WaitUntilAsync(first, "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database());", 1);

        await using (var admin = new NpgsqlConnection(database.ConnectionString))
        {
            await admin.OpenAsync();
            await admin.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database());");
        }

        await using var taken = await waiting;
        Assert.NotNull(taken);
    }

    [Fact]
    public async Task Row53_LeaseHeldPastTheBound_IsNotTaken_AndTheWaiterIsToldSo()
    {
        await using var first = database.Open("lease_bound");
        await using var second = database.Open("lease_bound");
        await using var held = await Lease(first).AcquireAsync(Acme, default);

        var refused = await Lease(second, TimeSpan.FromMilliseconds(200)).AcquireAsync(Acme, default);

        Assert.Null(refused);
    }

    [Fact]
    public async Task Row53_LeasesOfTwoAccountsOrTwoSchemas_DoNotWaitForEachOther()
    {
        await using var one = database.Open("lease_one");
        await using var other = database.Open("lease_other");
        await using var acme = await Lease(one).AcquireAsync(Acme, default);

        await using var otherAccount = await Lease(one, TimeSpan.FromMilliseconds(200)).AcquireAsync(AccountName.Parse("globex"), default);
        await using var otherSchema = await Lease(other, TimeSpan.FromMilliseconds(200)).AcquireAsync(Acme, default);

        Assert.NotNull(otherAccount);
        Assert.NotNull(otherSchema);
    }

    private static PostgreSqlRefreshLease Lease(PostgreSqlDatabase db, TimeSpan? bound = null) =>
        new(db, Microsoft.Extensions.Options.Options.Create(new GorgiasOptions { RefreshLeaseTimeout = bound ?? TimeSpan.FromSeconds(30) }));

    /// <summary>Polls the server's own view (a cross-connection observation) until it shows <paramref name="expected"/>.</summary>
    private static async Task WaitUntilAsync(PostgreSqlDatabase db, string sql, long expected)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        for (var attempt = 0; attempt < 500; attempt++)
        {
            if (await connection.ExecuteScalarAsync<long>(sql) == expected)
            {
                return;
            }

            await Task.Delay(10);
        }

        Assert.Fail($"The server never showed {expected} for: {sql}");
    }
}

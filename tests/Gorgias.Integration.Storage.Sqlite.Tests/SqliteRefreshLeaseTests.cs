using Dapper;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Extensions.Time.Testing;

namespace Gorgias.Integration.Storage.Sqlite.Tests;

/// <summary>The refresh lease on one SQLite file, taken by "processes" with their own database objects (SECURITY.md row 53).</summary>
public sealed class SqliteRefreshLeaseTests : IDisposable
{
    private static readonly AccountName Acme = AccountName.Parse("acme");
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Row53_LeaseHeldByOneProcess_MakesAnotherWait_UntilItIsReleased()
    {
        var first = Lease(TimeProvider.System);
        var second = Lease(TimeProvider.System);
        var held = await first.AcquireAsync(Acme, default);
        Assert.NotNull(held);

        var waiting = second.AcquireAsync(Acme, default);
        Assert.Equal(1L, await HoldersAsync());
        Assert.False(waiting.IsCompleted);

        await held.DisposeAsync();
        await using var next = await waiting;

        Assert.NotNull(next);
        Assert.Equal(1L, await HoldersAsync());
    }

    [Fact]
    public async Task Row53_LeaseOfAHolderThatDied_IsTakenByAWaiter_OnceItsBoundHasPassed()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var bound = TimeSpan.FromSeconds(30);
        _ = await Lease(time, bound).AcquireAsync(Acme, default); // never released: its process died
        var diedAt = time.GetUtcNow();

        var waiting = Lease(time, bound).AcquireAsync(Acme, default);
        time.Advance(bound);
        while (!waiting.IsCompleted)
        {
            // Fires the waiter's next poll, whenever it registered it; the clock is already past the dead holder's bound.
            time.Advance(TimeSpan.FromMilliseconds(200));
            await Task.Yield();
        }

        await using var taken = await waiting;
        Assert.NotNull(taken);
        Assert.True(time.GetUtcNow() - diedAt >= bound);
    }

    [Fact]
    public async Task Row53_AHolderThatOutlivedItsBound_ReleasingLate_DoesNotFreeTheLeaseOfTheOneThatTookItOver()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var late = (await Lease(time).AcquireAsync(Acme, default))!;
        time.Advance(TimeSpan.FromSeconds(31));
        await using var current = await Lease(time).AcquireAsync(Acme, default);
        Assert.NotNull(current);

        await late.DisposeAsync();

        Assert.Equal(1L, await HoldersAsync());
        var third = Lease(time).AcquireAsync(Acme, default);
        Assert.False(third.IsCompleted);
    }

    [Fact]
    public async Task Row53_LeasesOfTwoAccounts_DoNotWaitForEachOther()
    {
        await using var acme = await Lease(TimeProvider.System).AcquireAsync(Acme, default);
        await using var other = await Lease(TimeProvider.System).AcquireAsync(AccountName.Parse("other"), default);

        Assert.NotNull(acme);
        Assert.NotNull(other);
        Assert.Equal(2L, await HoldersAsync());
    }

    private SqliteRefreshLease Lease(TimeProvider time, TimeSpan? bound = null) =>
        new(_db.Open().Database, Microsoft.Extensions.Options.Options.Create(new GorgiasOptions { RefreshLeaseTimeout = bound ?? TimeSpan.FromSeconds(30) }), time);

    private async Task<long> HoldersAsync()
    {
        await using var connection = await _db.Open().Database.OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM refresh_leases;");
    }
}

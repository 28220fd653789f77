using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>
/// <see cref="IRefreshLease"/> on the SQLite file, for every process that opens it (the Host, the command-line tool):
/// a row in <c>refresh_leases</c>, taken with one conditional upsert, held until <c>Gorgias:RefreshLeaseTimeout</c> at
/// the latest, deleted by its holder. A waiter polls with a growing delay (through <see cref="TimeProvider"/>) until
/// the row is free or expired; since every lease ends by its bound, a waiter gets it within the bound. Waiters in the
/// process that released a lease are woken at once instead of at their next poll (the Host's requests and its worker).
/// </summary>
internal sealed class SqliteRefreshLease(SqliteDatabase database, IOptions<GorgiasOptions> options, TimeProvider time) : IRefreshLease
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(200);

    // Takes a free row, or one whose holder's bound has passed; a live holder's row is left alone (0 rows changed).
    private const string Take = """
        INSERT INTO refresh_leases (account, holder, held_until) VALUES (@Account, @Holder, @HeldUntil)
        ON CONFLICT (account) DO UPDATE SET holder = excluded.holder, held_until = excluded.held_until
        WHERE refresh_leases.held_until <= @Now;
        """;

    // Only the holder's own row: a holder that outlived its bound must not release the lease of the one that took it over.
    private const string Release = "DELETE FROM refresh_leases WHERE account = @Account AND holder = @Holder;";

    // Completed (and replaced) whenever a holder in this process releases a lease, of any account or file: a spurious
    // wake-up costs one more attempt, a missed one a poll interval.
    private static TaskCompletionSource _releaseSignal = NewReleaseSignal();

    private readonly TimeSpan _bound = options.Value.RefreshLeaseTimeout;

    public async Task<IAsyncDisposable?> AcquireAsync(AccountName account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var holder = Guid.NewGuid().ToString("N");
        var deadline = time.GetUtcNow() + _bound;
        var delay = FirstDelay;
        while (true)
        {
            // Read before trying, so a release between the attempt and the wait is not missed.
            var released = Volatile.Read(ref _releaseSignal).Task;
            var now = time.GetUtcNow();
            if (await TryTakeAsync(account, holder, now, cancellationToken))
            {
                return new Held(this, account, holder);
            }

            if (now >= deadline)
            {
                return null;
            }

            await Task.WhenAny(released, Task.Delay(delay, time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            delay = delay * 2 < MaxDelay ? delay * 2 : MaxDelay;
        }
    }

    private async Task<bool> TryTakeAsync(AccountName account, string holder, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        var taken = await connection.ExecuteAsync(new CommandDefinition(Take, new
        {
            Account = account.Value,
            Holder = holder,
            HeldUntil = SqliteValues.ToUnixMs(now + _bound),
            Now = SqliteValues.ToUnixMs(now),
        }, cancellationToken: cancellationToken));
        return taken == 1;
    }

    private async ValueTask ReleaseAsync(AccountName account, string holder)
    {
        // Not the caller's token: a lease must be released even when the caller gave up.
        await using var connection = await database.OpenForWriteAsync(CancellationToken.None);
        await connection.ExecuteAsync(new CommandDefinition(Release, new { Account = account.Value, Holder = holder }));
        Interlocked.Exchange(ref _releaseSignal, NewReleaseSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewReleaseSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Held(SqliteRefreshLease owner, AccountName account, string holder) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync() =>
            Interlocked.Exchange(ref _released, 1) == 0 ? owner.ReleaseAsync(account, holder) : ValueTask.CompletedTask;
    }
}

using System.Collections.Concurrent;
using Dapper;
using Gorgias.Integration.Application.Common;
using Microsoft.Data.Sqlite;
using static Gorgias.Integration.Storage.Sqlite.Tests.TestData;

namespace Gorgias.Integration.Storage.Sqlite.Tests;

public sealed class SqliteConcurrencyTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Row35_TwoProcessesWritingConcurrently_NoSqliteExceptionReachesACaller()
    {
        const int WorkersPerProcess = 4;
        const int Iterations = 25;
        var setup = _db.Open();
        await InstallAsync(setup, Account("shared"), T0);

        // Two "processes": separate database objects, connection pools and key-ring instances on one file.
        var processes = new[]
        {
            _db.Open(_db.CreateProvider()),
            _db.Open(_db.CreateProvider(), _db.ConnectionString + ";Cache=Private"),
        };
        var unexpected = new ConcurrentBag<Exception>();
        var tokenSaves = 0;
        var consumed = 0;

        await RunConcurrentlyAsync(processes.Length * WorkersPerProcess, async worker =>
        {
            var store = processes[worker % processes.Length];
            for (var i = 0; i < Iterations; i++)
            {
                var now = T0.AddMinutes(i);
                try
                {
                    await InstallAsync(store, Account($"w{worker}-i{i}"), now);

                    var request = Request(Account($"w{worker}-i{i}"), now);
                    if (await store.Requests.TryConsumeAsync(request, CancellationToken.None))
                    {
                        Interlocked.Increment(ref consumed);
                    }

                    var tokens = (await store.Tokens.FindAsync(Account("shared"), CancellationToken.None))!;
                    await store.Tokens.SaveAsync(tokens.Refreshed(Grant(), now), CancellationToken.None);
                    Interlocked.Increment(ref tokenSaves);
                }
                catch (ConcurrencyException)
                {
                    // Expected for the shared account: the other writer saved first.
                }
                catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
                {
                    unexpected.Add(ex);
                }

                try
                {
                    var installation = (await store.Installations.FindAsync(Account("shared"), CancellationToken.None))!;
                    installation.Activate(Scopes, now);
                    await store.Installations.SaveAsync(installation, CancellationToken.None);
                }
                catch (ConcurrencyException)
                {
                }
                catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
                {
                    unexpected.Add(ex);
                }
            }

            return worker;
        });

        Assert.Empty(unexpected);
        const int Total = 2 * WorkersPerProcess * Iterations;
        Assert.Equal(Total, consumed);
        Assert.Equal(Total + 1, (await setup.Installations.ListAsync(CancellationToken.None)).Count);
        Assert.Equal(Total, await setup.Requests.PurgeExpiredAsync(T0.AddYears(1), CancellationToken.None));
        // No lost update: every successful save moved the version by exactly one.
        Assert.InRange(tokenSaves, 1, Total);
        Assert.Equal(1 + tokenSaves, (await setup.Tokens.FindAsync(Account("shared"), CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task Row35_ImmediateTransaction_HoldsTheWriteLockBeforeItsFirstStatement()
    {
        var store = _db.Open();
        await store.Database.EnsureMigratedAsync(CancellationToken.None);
        await using var holder = await store.Database.OpenAsync(CancellationToken.None);
        await using var other = await store.Database.OpenAsync(CancellationToken.None);
        await other.ExecuteAsync("PRAGMA busy_timeout = 0");

        await using (var transaction = SqliteDatabase.BeginImmediateTransaction(holder))
        {
            // Nothing executed in the transaction yet; a deferred BEGIN would hold no lock at this point.
            var error = await Assert.ThrowsAsync<SqliteException>(() => other.ExecuteAsync(new CommandDefinition(
                "INSERT INTO installations (account, status, scopes, created_at, updated_at, activated_at, version) VALUES ('x', 0, '', 0, 0, NULL, 1)", commandTimeout: 1)));
            Assert.Equal(5, error.SqliteErrorCode); // SQLITE_BUSY
            await transaction.RollbackAsync();
        }

        Assert.Equal(1, await other.ExecuteAsync("INSERT INTO installations (account, status, scopes, created_at, updated_at, activated_at, version) VALUES ('x', 0, '', 0, 0, NULL, 1)"));
    }
}

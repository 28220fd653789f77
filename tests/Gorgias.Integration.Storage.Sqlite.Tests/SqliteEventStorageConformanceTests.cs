using Gorgias.Integration.Infrastructure.Secrets;
using Gorgias.Integration.Testing.Storage;

namespace Gorgias.Integration.Storage.Sqlite.Tests;

/// <summary>The SQLite event inbox and subscription store against the conformance suite, each test on its own file.</summary>
public sealed class SqliteEventStorageConformanceTests : EventStorageConformanceTests
{
    protected override Task<EventStorageUnderTest> CreateEventStorageAsync()
    {
        var db = new TempDatabase();
        var database = new SqliteDatabase(db.ConnectionString);
        return Task.FromResult(new EventStorageUnderTest(
            new SqliteEventInbox(database),
            new SqliteEventSubscriptionStore(database, new SecretProtector(db.CreateProvider())),
            () => new SqliteEventInbox(new SqliteDatabase(db.ConnectionString)),
            () =>
            {
                db.Dispose();
                return ValueTask.CompletedTask;
            }));
    }
}

using Gorgias.Integration.Testing.Storage;

namespace Gorgias.Integration.Storage.Sqlite.Tests;

/// <summary>The SQLite adapter against the storage conformance suite, each test on its own file in a temp folder.</summary>
public sealed class SqliteStorageConformanceTests : StorageConformanceTests
{
    protected override Task<StorageUnderTest> CreateStorageAsync()
    {
        var db = new TempDatabase();
        var store = db.Open();
        return Task.FromResult(new StorageUnderTest(store.Installations, store.Tokens, store.Access, store.Requests,
            store.PendingRevocations, store.Transactions, store.Transactions,
            // The main file and its WAL companions as they lie on disk, read while SQLite holds them open.
            () => Task.FromResult<IReadOnlyList<byte[]>>([.. db.Files.Where(File.Exists).Select(TempDatabase.ReadShared)]),
            () =>
            {
                db.Dispose();
                return ValueTask.CompletedTask;
            })
        {
            Counter = new SqliteInstallationCounter(store.Database),
        });
    }
}

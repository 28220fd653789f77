using Gorgias.Integration.Infrastructure.Secrets;
using Gorgias.Integration.Testing.Storage;
using Microsoft.AspNetCore.DataProtection;

namespace Gorgias.Integration.Storage.PostgreSql.Tests;

/// <summary>The PostgreSQL event inbox and subscription store against the conformance suite, each test in its own schema.</summary>
public sealed class PostgreSqlEventStorageConformanceTests(PostgresDatabase database) : EventStorageConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override async Task<EventStorageUnderTest> CreateEventStorageAsync()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N");
        var db = database.Open(schema);
        await PostgreSqlMigrations.ApplyAsync(db, default);
        var other = database.Open(schema);
        return new EventStorageUnderTest(
            new PostgreSqlEventInbox(db),
            new PostgreSqlEventSubscriptionStore(db, new SecretProtector(new EphemeralDataProtectionProvider())),
            () => new PostgreSqlEventInbox(other),
            async () =>
            {
                await other.DisposeAsync();
                await db.DisposeAsync();
            });
    }
}

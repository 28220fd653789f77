using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Storage.PostgreSql.Tests;

/// <summary>One key ring for all instances: what one instance encrypts, another decrypts, with no shared file system.</summary>
public sealed class PostgreSqlKeyRingTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task KeyRingInTheDatabase_LetsAnotherInstanceDecryptWhatOneEncrypted()
    {
        await using var first = database.Open("keys");
        await using var second = database.Open("keys");
        await PostgreSqlMigrations.ApplyAsync(first, default);

        using var instanceA = Instance(first);
        using var instanceB = Instance(second);
        var secret = instanceA.GetRequiredService<IDataProtectionProvider>().CreateProtector("tokens").Protect("refresh-token-value");

        Assert.Equal("refresh-token-value", instanceB.GetRequiredService<IDataProtectionProvider>().CreateProtector("tokens").Unprotect(secret));

        await using var connection = await first.DataSource.OpenConnectionAsync();
        var keys = (await connection.QueryAsync<string>("SELECT xml FROM keys.data_protection_keys;")).ToList();
        Assert.Single(keys);
        Assert.DoesNotContain("refresh-token-value", keys[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreElement_OfAnElementAlreadyStored_KeepsOneRow()
    {
        await using var db = database.Open("dupes");
        await PostgreSqlMigrations.ApplyAsync(db, default);
        var repository = new PostgreSqlXmlRepository(db);
        var element = new System.Xml.Linq.XElement("key", new System.Xml.Linq.XAttribute("id", "k1"));

        repository.StoreElement(element, "key-k1");
        repository.StoreElement(element, "key-k1");

        Assert.Single(repository.GetAllElements());
    }

    private static ServiceProvider Instance(PostgreSqlDatabase db)
    {
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("Gorgias.Integration");
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = new PostgreSqlXmlRepository(db));
        return services.BuildServiceProvider();
    }
}

using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Storage.PostgreSql.Tests;

public sealed class PostgreSqlStorageRegistrationTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Theory]
    [InlineData(null)]
    [InlineData("Data Source=gorgias-integration.db")]
    [InlineData("Port=5432;Database=gorgias")]
    public void AddStorage_WithoutAPostgreSqlConnectionString_FailsNamingTheKeyAndAnExample(string? connectionString)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddGorgiasPostgreSqlStorage(Configuration(new()
        {
            ["ConnectionStrings:Integration"] = connectionString,
        })));

        Assert.Contains("ConnectionStrings:Integration", error.Message, StringComparison.Ordinal);
        Assert.Contains("Host=", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddStorage_WithASchemaThatIsNotAPlainName_FailsNamingTheKey()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddGorgiasPostgreSqlStorage(Configuration(new()
        {
            ["ConnectionStrings:Integration"] = database.ConnectionString,
            ["Integration:Schema"] = "Gorgias; DROP",
        })));

        Assert.Contains("Integration:Schema", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_OutsideDevelopment_MigratesTheConfiguredSchema_AndKeepsTheKeyRingInTheDatabase()
    {
        using var host = Host("registered", keysPath: null);
        await host.StartAsync();

        Assert.IsType<PostgreSqlXmlRepository>(host.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository);
        await InstallAsync(host.Services);
        Assert.IsType<PostgreSqlInstallationRepository>(host.Services.GetRequiredService<IInstallationRepository>());
        await using var connection = await host.Services.GetRequiredService<PostgreSqlDatabase>().DataSource.OpenConnectionAsync();
        Assert.Equal(PostgreSqlMigrations.LatestVersion, await connection.ExecuteScalarAsync<int>("SELECT MAX(version) FROM registered.schema_migrations;"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM registered.data_protection_keys;"));
        await host.StopAsync();
    }

    [Fact]
    public async Task Start_WithAKeysPath_KeepsTheKeyRingInThatFolder_NotInTheDatabase()
    {
        var keys = Directory.CreateTempSubdirectory("gorgias-pg-keys-");
        try
        {
            using var host = Host("filekeys", keys.FullName);
            await host.StartAsync();
            await InstallAsync(host.Services);

            Assert.NotEmpty(keys.GetFiles("key-*.xml"));
            await using var connection = await host.Services.GetRequiredService<PostgreSqlDatabase>().DataSource.OpenConnectionAsync();
            Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM filekeys.data_protection_keys;"));
            await host.StopAsync();
        }
        finally
        {
            keys.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ParallelWritersOfOneVersion_ExactlyOneWins_TheOthersGetConcurrencyException()
    {
        using var host = Host("racing", keysPath: null);
        await host.StartAsync();
        var tokens = await InstallAsync(host.Services);
        var repository = host.Services.GetRequiredService<ITokenSetRepository>();
        var recorder = host.Services.GetRequiredService<IInstallRecorder>();
        using var start = new Barrier(20);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            start.SignalAndWait();
            try
            {
                if (i % 2 == 0)
                {
                    await repository.SaveAsync(tokens.Refreshed(Grant(), DateTimeOffset.UtcNow), CancellationToken.None);
                }
                else
                {
                    var fresh = Installation.Start(AccountName.Parse("beta"), DateTimeOffset.UtcNow);
                    fresh.Activate(["openid"], DateTimeOffset.UtcNow);
                    await recorder.RecordInstallAsync(fresh, TokenSet.Issue(fresh.Account, Grant(), DateTimeOffset.UtcNow), CancellationToken.None);
                }

                return (i % 2, Won: true);
            }
            catch (ConcurrencyException)
            {
                return (i % 2, Won: false);
            }
        })));

        Assert.Equal(1, outcomes.Count(o => o.Item1 == 0 && o.Won));
        Assert.Equal(1, outcomes.Count(o => o.Item1 == 1 && o.Won));
        await host.StopAsync();
    }

    private IHost Host(string schema, string? keysPath)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Integration"] = database.ConnectionString,
            ["Integration:Schema"] = schema,
            ["DataProtection:KeysPath"] = keysPath,
        });
        builder.Services.AddGorgiasPostgreSqlStorage(builder.Configuration);
        return builder.Build();
    }

    private static async Task<TokenSet> InstallAsync(IServiceProvider services)
    {
        var installation = Installation.Start(AccountName.Parse("acme"), DateTimeOffset.UtcNow);
        installation.Activate(["openid"], DateTimeOffset.UtcNow);
        await services.GetRequiredService<IInstallRecorder>().RecordInstallAsync(installation,
            TokenSet.Issue(installation.Account, Grant(), DateTimeOffset.UtcNow), CancellationToken.None);
        return (await services.GetRequiredService<ITokenSetRepository>().FindAsync(installation.Account, CancellationToken.None))!;
    }

    private static TokenGrant Grant() => new("access-" + Guid.NewGuid(), "refresh-" + Guid.NewGuid(), 3600, ["openid"], "Bearer");

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}

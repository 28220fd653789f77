using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Infrastructure.Secrets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static Gorgias.Integration.Storage.Sqlite.Tests.TestData;

namespace Gorgias.Integration.Storage.Sqlite.Tests;

public sealed class SqliteStorageRegistrationTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose()
    {
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder(_db.ConnectionString) { Pooling = true }.ToString()))
        {
            SqliteConnection.ClearPool(connection);
        }

        _db.Dispose();
    }

    [Fact]
    public async Task AddGorgiasSqliteStorage_RegistersTheSqliteAdapters_AndMigratesWhenTheHostStarts()
    {
        await using var services = Build(new ServiceCollection());

        Assert.IsType<SqliteInstallationRepository>(services.GetRequiredService<IInstallationRepository>());
        Assert.IsType<SqliteTokenSetRepository>(services.GetRequiredService<ITokenSetRepository>());
        Assert.IsType<SqliteAuthorizationRequestStore>(services.GetRequiredService<IAuthorizationRequestStore>());
        Assert.Same(services.GetRequiredService<IInstallationRepository>(), services.GetRequiredService<IInstallationRepository>());
        var hosted = Assert.Single(services.GetServices<IHostedService>().OfType<SqliteMigrationHostedService>());

        Assert.False(File.Exists(_db.DatabasePath));
        await hosted.StartAsync(CancellationToken.None);

        await using var connection = new SqliteConnection(_db.ConnectionString + ";Pooling=False");
        await connection.OpenAsync();
        Assert.Equal(SqliteMigrations.LatestVersion, await connection.ExecuteScalarAsync<long>("SELECT MAX(version) FROM schema_migrations"));
    }

    [Fact]
    public async Task AddGorgiasSqliteStorage_PersistsKeysToTheConfiguredFolder_AndNamesTheApplication()
    {
        await using var services = Build(new ServiceCollection());
        var (installation, tokens) = Installed(Account("acme"), T0);

        await services.GetRequiredService<IInstallRecorder>().RecordInstallAsync(installation, tokens, CancellationToken.None);

        Assert.NotEmpty(Directory.GetFiles(_db.KeysFolder, "key-*.xml"));
        Assert.Equal(DataProtectionRegistration.ApplicationName,
            services.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator);
        var found = await services.GetRequiredService<ITokenSetRepository>().FindAsync(Account("acme"), CancellationToken.None);
        Assert.Equal(tokens.AccessToken, found!.AccessToken);
    }

    [Fact]
    public async Task AddGorgiasSqliteStorage_WhenTheHostConfiguredDataProtection_KeepsTheHostsSetup()
    {
        var hostKeys = Path.Combine(_db.Folder, "host-keys");
        var collection = new ServiceCollection();
        collection.AddDataProtection().SetApplicationName("HostApp").PersistKeysToFileSystem(new DirectoryInfo(hostKeys));

        await using var services = Build(collection);
        var (installation, tokens) = Installed(Account("acme"), T0);
        await services.GetRequiredService<IInstallRecorder>().RecordInstallAsync(installation, tokens, CancellationToken.None);

        Assert.Equal("HostApp", services.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator);
        Assert.NotEmpty(Directory.GetFiles(hostKeys, "key-*.xml"));
        Assert.False(Directory.Exists(_db.KeysFolder));
    }

    [Fact]
    public async Task FirstOpen_OfAPathThatCannotBeADatabase_FailsNamingTheConnectionStringAndThePath()
    {
        var notAFolder = Path.Combine(_db.Folder, "a-file");
        await File.WriteAllTextAsync(notAFolder, "");
        var path = Path.Combine(notAFolder, "integration.db");
        var store = _db.Open(connectionString: $"Data Source={path}");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.Database.EnsureMigratedAsync(CancellationToken.None));

        Assert.Contains("ConnectionStrings:Integration", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    private ServiceProvider Build(IServiceCollection services)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Integration"] = _db.ConnectionString,
                ["DataProtection:KeysPath"] = _db.KeysFolder,
            })
            .Build();
        services.AddLogging();
        services.AddGorgiasSqliteStorage(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}

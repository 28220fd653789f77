using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gorgias.Integration.Application.Abstractions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static Gorgias.Integration.Storage.Sqlite.Tests.TestData;

namespace Gorgias.Integration.Storage.Sqlite.Tests;

/// <summary>
/// SECURITY.md row 47: outside Development the key ring that encrypts the stored tokens must outlive the process,
/// and it can itself be encrypted with a certificate from configuration.
/// </summary>
public sealed class DataProtectionRegistrationTests : IDisposable
{
    private const string PfxPassword = "pfx-password-for-this-test";

    private readonly TempDatabase _db = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _db.Dispose();
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task Row47_AHostOutsideDevelopmentWithNoKeyStorage_FailsToStartNamingTheKey(string environment)
    {
        using var host = Build(environment, new Dictionary<string, string?>());

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains("DataProtection:KeysPath is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("PersistKeysTo", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Row47_AHostOutsideDevelopmentThatPersistsKeysItself_Starts()
    {
        var hostKeys = Path.Combine(_db.Folder, "host-keys");

        using var host = Build("Production", new Dictionary<string, string?>(),
            services => services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(hostKeys)));
        await host.StartAsync();
        await SaveAsync(host, "acme");
        await host.StopAsync();

        Assert.NotEmpty(Directory.GetFiles(hostKeys, "key-*.xml"));
    }

    [Fact]
    public async Task Row47_WithACertificate_KeysAreEncryptedAtRest_AndARestartedHostStillReadsTheTokens()
    {
        var settings = new Dictionary<string, string?>
        {
            ["DataProtection:KeysPath"] = _db.KeysFolder,
            ["DataProtection:Certificate:Path"] = WriteSelfSignedPfx(),
            ["DataProtection:Certificate:Password"] = PfxPassword,
        };
        string accessToken;
        using (var first = Build("Production", settings))
        {
            await first.StartAsync();
            accessToken = await SaveAsync(first, "acme");
            await first.StopAsync();
        }

        var keyXml = File.ReadAllText(Assert.Single(Directory.GetFiles(_db.KeysFolder, "key-*.xml")));
        Assert.Contains("<encryptedSecret", keyXml, StringComparison.Ordinal);
        Assert.Contains("<X509Certificate>", keyXml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", keyXml, StringComparison.Ordinal);

        using var restarted = Build("Production", settings);
        await restarted.StartAsync();
        var found = await restarted.Services.GetRequiredService<ITokenSetRepository>().FindAsync(Account("acme"), CancellationToken.None);
        await restarted.StopAsync();
        Assert.Equal(accessToken, found!.AccessToken);
    }

    [Fact]
    public void Row47_WithACertificateThatCannotBeOpened_FailsNamingTheKey()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build("Production", new Dictionary<string, string?>
        {
            ["DataProtection:KeysPath"] = _db.KeysFolder,
            ["DataProtection:Certificate:Path"] = WriteSelfSignedPfx(),
            ["DataProtection:Certificate:Password"] = "not-the-password",
        }));

        Assert.Contains("DataProtection:Certificate:Path", error.Message, StringComparison.Ordinal);
        Assert.Contains("DataProtection:Certificate:Password", error.Message, StringComparison.Ordinal);
    }

    private IHost Build(string environment, Dictionary<string, string?> settings, Action<IServiceCollection>? hostServices = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = environment,
            ContentRootPath = _db.Folder,
            DisableDefaults = true,
        });
        settings["ConnectionStrings:Integration"] = _db.ConnectionString;
        builder.Configuration.AddInMemoryCollection(settings);
        hostServices?.Invoke(builder.Services);
        builder.Services.AddLogging();
        builder.Services.AddGorgiasSqliteStorage(builder.Configuration);
        return builder.Build();
    }

    private static async Task<string> SaveAsync(IHost host, string account)
    {
        var (installation, tokens) = Installed(Account(account), T0);
        await host.Services.GetRequiredService<IInstallRecorder>().RecordInstallAsync(installation, tokens, CancellationToken.None);
        return tokens.AccessToken;
    }

    private string WriteSelfSignedPfx()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Gorgias.Integration key ring (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_db.Folder, "key-ring.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, PfxPassword));
        return path;
    }
}

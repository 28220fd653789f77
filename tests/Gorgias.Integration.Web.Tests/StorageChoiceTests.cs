using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Sandbox;
using Gorgias.Integration.Storage.PostgreSql;
using Gorgias.Integration.Storage.Sqlite;
using Gorgias.Integration.Testing;
using Gorgias.Integration.Web.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Web.Tests;

/// <summary>
/// The storage is chosen by <c>Integration:Storage</c> or in code, and the Host runs the same flows on either: the
/// PostgreSQL run differs from the SQLite one only by <c>Integration:Storage</c> and the connection string (and no
/// key folder: the key ring lives in the database).
/// </summary>
public sealed class StorageChoiceTests
{
    [Theory]
    [InlineData(null, typeof(SqliteInstallationRepository))]
    [InlineData("Sqlite", typeof(SqliteInstallationRepository))]
    [InlineData("postgresql", typeof(PostgreSqlInstallationRepository))]
    [InlineData("PostgreSql", typeof(PostgreSqlInstallationRepository))]
    public void EntryPoint_WithIntegrationStorage_RegistersThatAdapter(string? storage, Type expected)
    {
        using var app = Build(storage, configure: null);

        Assert.IsType(expected, app.Services.GetRequiredService<IInstallationRepository>());
    }

    [Fact]
    public void EntryPoint_WithStorageInCode_OverridesTheConfiguration()
    {
        using var app = Build("Sqlite", o => o.Storage = GorgiasStorage.PostgreSql);

        Assert.IsType<PostgreSqlInstallationRepository>(app.Services.GetRequiredService<IInstallationRepository>());
    }

    [Theory]
    [InlineData("MySql")]
    [InlineData("1")]
    public void EntryPoint_WithAnUnknownStorage_FailsNamingTheKeyAndBothValues(string storage)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(storage, configure: null));

        Assert.Contains("Integration:Storage", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sqlite", error.Message, StringComparison.Ordinal);
        Assert.Contains("PostgreSql", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task Host_OnEitherStorage_InstallsCallsTheApiRefreshesAndUninstalls(string storage)
    {
        var connectionString = storage == "PostgreSql" ? await PostgresServer.CreateDatabaseAsync() : null;
        try
        {
            using var host = new IntegrationHost(connectionString is null ? null : new Dictionary<string, string?>
            {
                ["Integration:Storage"] = storage,
                ["ConnectionStrings:Integration"] = connectionString,
                ["DataProtection:KeysPath"] = null,
            });
            var sandbox = host.Services.GetRequiredService<SandboxMonitor>();
            using var browser = host.CreateNonRedirectingBrowser();
            using var admin = host.CreateAdmin();

            using (var installed = await BrowserFlow.InstallAsync(browser, "acme"))
            {
                Assert.Equal(HttpStatusCode.OK, installed.StatusCode);
            }

            Assert.Equal("acme", (await admin.GetFromJsonAsync<JsonElement>(new Uri("/installations/acme/gorgias/account", UriKind.Relative)))
                .GetProperty("domain").GetString());
            var before = sandbox.LastTokenRequest["grant_type"];
            host.Time.Advance(TimeSpan.FromHours(1));
            using (var refreshed = await admin.PostAsync(new Uri("/installations/acme/refresh", UriKind.Relative), null))
            {
                Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
            }

            Assert.Equal(("authorization_code", "refresh_token"), (before, sandbox.LastTokenRequest["grant_type"]));
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("/installations/acme/gorgias/account", UriKind.Relative))).StatusCode);
            using (var uninstalled = await admin.DeleteAsync(new Uri("/installations/acme", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, uninstalled.StatusCode);
            }

            using var afterUninstall = await admin.GetAsync(new Uri("/installations/acme/gorgias/account", UriKind.Relative));
            Assert.Equal((HttpStatusCode.Conflict, 2, 1), (afterUninstall.StatusCode, sandbox.ApiCalls, sandbox.Revocations));
            Assert.Equal(storage == "PostgreSql" ? typeof(PostgreSqlInstallationRepository) : typeof(SqliteInstallationRepository),
                host.Services.GetRequiredService<IInstallationRepository>().GetType());
        }
        finally
        {
            if (connectionString is not null)
            {
                await PostgresServer.DropDatabaseAsync(connectionString);
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("Data Source=gorgias-integration.db")]
    public void Host_OnPostgreSqlWithoutAPostgreSqlConnectionString_FailsNamingTheKeyAndAnExample(string connectionString)
    {
        using var host = new IntegrationHost(new Dictionary<string, string?>
        {
            ["Integration:Storage"] = "PostgreSql",
            ["ConnectionStrings:Integration"] = connectionString,
        });

        var error = Assert.Throws<InvalidOperationException>(() => host.CreateClient());

        Assert.Contains("ConnectionStrings:Integration", error.Message, StringComparison.Ordinal);
        Assert.Contains("Host=127.0.0.1;Port=5432", error.Message, StringComparison.Ordinal);
    }

    private static WebApplication Build(string? storage, Action<GorgiasIntegrationOptions>? configure)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Integration:Storage"] = storage,
            ["ConnectionStrings:Integration"] = storage?.StartsWith("post", StringComparison.OrdinalIgnoreCase) == true || configure is not null
                ? "Host=127.0.0.1;Port=5432;Database=unused;Username=unused"
                : "Data Source=unused.db",
        });
        builder.AddGorgiasIntegration(configure);
        return builder.Build();
    }
}

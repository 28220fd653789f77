using Gorgias.Integration.Web.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Web.Tests;

/// <summary>The Host checks its configuration at start-up and names every key that is missing or wrong.</summary>
public sealed class HostConfigurationTests
{
    [Fact]
    public void Start_WithMissingAndInvalidKeys_FailsNamingEachOne()
    {
        using var host = new IntegrationHost(new Dictionary<string, string?>
        {
            ["Gorgias:ClientSecret"] = "",
            ["Gorgias:RedirectUri"] = "not-a-url",
            ["Gorgias:BaseUrlTemplate"] = "https://gorgias.example",
            ["Integration:AdminApiKey"] = "short",
        });

        var error = Assert.Throws<InvalidOperationException>(() => host.CreateClient());

        Assert.Contains("Gorgias:ClientSecret", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gorgias:RedirectUri", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gorgias:BaseUrlTemplate", error.Message, StringComparison.Ordinal);
        Assert.Contains("Integration:AdminApiKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Gorgias:ClientId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_InProductionWithTheSandboxOn_IsRefused()
    {
        using var host = new IntegrationHost(sandbox: true, environment: "Production");

        var error = Assert.Throws<InvalidOperationException>(() => host.CreateClient());

        Assert.Contains("Gorgias:Sandbox is true in Production", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InProductionWithDefaultSettings_DoesNotMountTheSandbox()
    {
        using var host = new IntegrationHost(new Dictionary<string, string?> { ["Gorgias:Sandbox"] = null }, sandbox: false, environment: "Production");
        Assert.Null(host.Services.GetService<Gorgias.Integration.Sandbox.SandboxMonitor>());
        using var client = host.CreateClient();

        using var consent = await client.GetAsync(new Uri("/sandbox/acme/oauth/authorize?response_type=code", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, consent.StatusCode);
    }

    [Theory]
    [InlineData("Testing")]
    [InlineData("Staging")]
    [InlineData("Production")]
    public void Row48_Start_WithTheSandboxInAnyEnvironmentButDevelopment_IsRefusedNamingTheKey(string environment)
    {
        using var host = new IntegrationHost(sandbox: true, environment: environment);

        var error = Assert.Throws<InvalidOperationException>(() => host.CreateClient());

        Assert.Contains($"Gorgias:Sandbox is true in {environment}", error.Message, StringComparison.Ordinal);
        Assert.Contains("ASPNETCORE_ENVIRONMENT=Development", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("                                ")]
    [InlineData("dev-admin-key-change-me")]
    [InlineData("test-admin-key-0123456789")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("changeme-changeme-changeme-changeme-changeme")]
    [InlineData(" Jq7Xv2Lm9RtK4wZb8NcP3sYf6HdG5aVe1Bu0 ")]
    public void Row48_Start_WithAWhitespaceOrGuessableAdminKey_IsRefusedNamingTheKeyAndTheFix(string adminKey)
    {
        using var host = new IntegrationHost(new Dictionary<string, string?> { ["Integration:AdminApiKey"] = adminKey });

        var error = Assert.Throws<InvalidOperationException>(() => host.CreateClient());

        Assert.Contains("Integration:AdminApiKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("openssl rand -base64 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Row47_Start_OutsideDevelopmentWithoutAKeysPath_FailsNamingTheKey()
    {
        // The entry point the Host runs, started directly: WebApplicationFactory can report a failed start as an
        // ObjectDisposedException when the failing host is disposed before the factory reads its services.
        var folder = Directory.CreateTempSubdirectory("gorgias-row47-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gorgias:ClientId"] = IntegrationHost.ClientId,
            ["Gorgias:ClientSecret"] = IntegrationHost.ClientSecret,
            ["Gorgias:RedirectUri"] = "https://localhost/oauth/callback",
            ["Gorgias:BaseUrlTemplate"] = "https://localhost/sandbox/{account}",
            ["ConnectionStrings:Integration"] = $"Data Source={Path.Combine(folder, "integration.db")}",
            ["DataProtection:KeysPath"] = "",
        });
        builder.AddGorgiasIntegration();
        try
        {
            await using var app = builder.Build();

            // One place checks it, the key ring's registration, when the host starts (an options validation failure).
            var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());

            Assert.Contains("DataProtection:KeysPath is not set", error.Message, StringComparison.Ordinal);
            Assert.Contains("redeploy", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Start_WithTheDatabaseInAFolderThatDoesNotExist_FailsNamingTheKeyAndTheResolvedPath()
    {
        var missing = Path.Combine(Path.GetTempPath(), "gorgias-missing-" + Guid.NewGuid().ToString("N"), "data", "integration.db");
        using var host = new IntegrationHost(new Dictionary<string, string?> { ["ConnectionStrings:Integration"] = $"Data Source={missing}" });

        var error = Assert.Throws<InvalidOperationException>(() => host.CreateClient());

        Assert.Contains("ConnectionStrings:Integration", error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(missing)), "no folder, and no empty database, was created");
    }

    [Fact]
    public void Start_WithARelativeDatabasePathToAMissingFolder_NamesThePathResolvedAgainstTheContentRoot()
    {
        var folder = "missing-" + Guid.NewGuid().ToString("N");
        using var host = new IntegrationHost(new Dictionary<string, string?> { ["ConnectionStrings:Integration"] = $"Data Source={folder}/integration.db" });

        var error = Assert.Throws<InvalidOperationException>(() => host.CreateClient());

        var contentRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "Gorgias.Integration.Host"));
        Assert.Contains(Path.Combine(contentRoot, folder, "integration.db"), error.Message, StringComparison.Ordinal);
        Assert.Contains("content root", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, null, "environment Development", "sandbox mounted at /sandbox")]
    [InlineData(false, "Production", "environment Production", "sandbox not mounted")]
    public void Start_LogsOneLineWithTheEnvironmentTheStorageAndItsLocationAndTheSandbox(bool sandbox, string? environment, string shownEnvironment, string shownSandbox)
    {
        using var host = new IntegrationHost(sandbox: sandbox, environment: environment);

        using var client = host.CreateClient();

        // One line at Information (the capturing provider adds a second with the line's structured values).
        var line = Assert.Single(host.Logs, l => l.Contains("Gorgias.Integration started:", StringComparison.Ordinal) && !l.Contains(" values: ", StringComparison.Ordinal));
        Assert.StartsWith("Information ", line, StringComparison.Ordinal);
        Assert.Contains($"Gorgias.Integration started: {shownEnvironment}, storage SQLite at {host.DatabasePath}, {shownSandbox}", line, StringComparison.Ordinal);
    }
}

using Gorgias.Integration.Web.Tests.Support;
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
}

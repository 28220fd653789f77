using System.Net;
using Gorgias.Integration.Web.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Web.Tests;

/// <summary>
/// The Host's start page as a new user meets it: in sandbox mode it is served only at the origin of Gorgias:RedirectUri,
/// where the install cookie will come back; and the icon the browser asks for is no 404 problem.
/// </summary>
public sealed class StartPageTests
{
    [Fact]
    public async Task Start_InSandboxModeReachedByAnotherHostName_RedirectsToTheRedirectUrisOrigin()
    {
        using var host = new IntegrationHost(); // Gorgias:RedirectUri is https://localhost/oauth/callback
        using var client = host.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://127.0.0.1"), AllowAutoRedirect = false });

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(new Uri("https://localhost/"), response.Headers.Location);
    }

    [Fact]
    public async Task Start_InSandboxModeAtTheCanonicalOrigin_ShowsTheInstallForm()
    {
        using var host = new IntegrationHost();
        using var client = host.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"install-form\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InSandboxModeAfterAnInstall_ShowsTheAccountsLatestTicketsReadThroughTheApi()
    {
        using var host = new IntegrationHost();
        using var client = host.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var before = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        using (var browser = host.CreateNonRedirectingBrowser())
        {
            using var installed = await BrowserFlow.InstallAsync(browser, "acme");
            Assert.Equal(HttpStatusCode.OK, installed.StatusCode);
        }

        var after = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.DoesNotContain("Latest tickets", before, StringComparison.Ordinal);
        Assert.Contains("Latest tickets", after, StringComparison.Ordinal);
        Assert.Contains("<h3>acme</h3>", after, StringComparison.Ordinal);
        Assert.Contains("#250 Sandbox ticket #250", after, StringComparison.Ordinal);
        Assert.Equal(1, host.Services.GetRequiredService<Gorgias.Integration.Sandbox.SandboxMonitor>().ApiCalls);
    }

    [Fact]
    public async Task Start_WithoutTheSandbox_IsServedAtAnyHostName()
    {
        using var host = new IntegrationHost(sandbox: false);
        using var client = host.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://127.0.0.1"), AllowAutoRedirect = false });

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Favicon_AnswersNoContent_NotA404Problem()
    {
        using var host = new IntegrationHost();
        using var client = host.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });

        using var response = await client.GetAsync(new Uri("/favicon.ico", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }
}

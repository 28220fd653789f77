using Gorgias.Integration.Application.Installations.BeginInstall;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Gorgias.Integration.Application.Tests;

/// <summary>
/// The authorize URL BeginInstall builds from the parts of the configuration it prepares once: the base URL's canonical
/// form with the account where the template has it (however often), and the redirect URI escaped with the account.
/// </summary>
public sealed class AuthorizeUrlTests
{
    [Theory]
    [InlineData("HTTP://127.0.0.1:5091/{account}/", "http://127.0.0.1:5091/acme/oauth/authorize?")]
    [InlineData("https://{account}.example.test/gorgias/{account}", "https://acme.example.test/gorgias/acme/oauth/authorize?")]
    public async Task TheAuthorizeUrl_PutsTheAccountWhereTheTemplateHasIt_InTheBaseUrlsCanonicalForm(string template, string expectedStart)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        using var storage = new SharedStorage();
        await using var core = IntegrationCore.Create(sandbox, storage, time, settings: new Dictionary<string, string?>
        {
            ["Gorgias:BaseUrlTemplate"] = template,
        });

        var begun = await core.SendAsync(new BeginInstallCommand("ACME", "browser-1"));
        var url = begun.Value!.AuthorizeUri.OriginalString;

        Assert.StartsWith(expectedStart, url, StringComparison.Ordinal);
        Assert.Equal(url, begun.Value.AuthorizeUri.AbsoluteUri);
        var redirect = Uri.UnescapeDataString(Query(url, "redirect_uri"));
        Assert.EndsWith("account=acme", redirect, StringComparison.Ordinal);
        Assert.Equal(1, url.Split("&state=").Length - 1);
    }

    private static string Query(string url, string name)
    {
        var start = url.IndexOf($"&{name}=", StringComparison.Ordinal) + name.Length + 2;
        var end = url.IndexOf('&', start);
        return end < 0 ? url[start..] : url[start..end];
    }
}

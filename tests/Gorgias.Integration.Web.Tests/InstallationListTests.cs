using System.Net.Http.Json;
using System.Text.Json;
using Gorgias.Integration.Web.Tests.Support;

namespace Gorgias.Integration.Web.Tests;

/// <summary>What <c>GET /installations</c> and <c>GET /installations/{account}</c> show of an installation's tokens.</summary>
public sealed class InstallationListTests : IDisposable
{
    private readonly IntegrationHost _host = new();

    [Fact]
    public async Task ListInstallations_ShowsAnActiveInstallationsAccessTokenExpiry_AsTheSingleViewDoes()
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        (await BrowserFlow.InstallAsync(browser, "acme")).Dispose();

        using var admin = _host.CreateAdmin();
        var list = await admin.GetFromJsonAsync<JsonElement>(new Uri("/installations", UriKind.Relative));
        var single = await admin.GetFromJsonAsync<JsonElement>(new Uri("/installations/acme", UriKind.Relative));

        var listed = Assert.Single(list.EnumerateArray());
        Assert.Equal("Active", listed.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, listed.GetProperty("accessTokenExpiresAt").ValueKind);
        Assert.Equal(single.GetProperty("accessTokenExpiresAt").GetDateTimeOffset(), listed.GetProperty("accessTokenExpiresAt").GetDateTimeOffset());
        Assert.InRange(listed.GetProperty("accessTokenExpiresAt").GetDateTimeOffset() - _host.Time.GetUtcNow(), TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));

        // A healthy installation shows no failure record.
        Assert.Equal(0, single.GetProperty("consecutiveRefreshFailures").GetInt32());
        Assert.Equal(JsonValueKind.Null, single.GetProperty("lastRefreshError").ValueKind);
        Assert.Equal(JsonValueKind.Null, single.GetProperty("nextRefreshAttemptAt").ValueKind);
    }

    public void Dispose() => _host.Dispose();
}

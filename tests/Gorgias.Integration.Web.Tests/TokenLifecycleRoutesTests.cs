using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gorgias.Integration.Sandbox;
using Gorgias.Integration.Testing;
using Gorgias.Integration.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Web.Tests;

/// <summary>The admin routes of the token lifecycle: refresh, uninstall and the Gorgias API call, over HTTP.</summary>
public sealed class TokenLifecycleRoutesTests : IDisposable
{
    private readonly IntegrationHost _host = new();

    private SandboxMonitor Sandbox => _host.Services.GetRequiredService<SandboxMonitor>();

    [Fact]
    public async Task Uninstall_RevokesAtGorgiasAndShowsUninstalled()
    {
        await InstallAsync("acme");
        using var admin = _host.CreateAdmin();

        using var response = await admin.DeleteAsync(new Uri("/installations/acme", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("revoked").GetBoolean());
        Assert.Equal(1, Sandbox.Revocations);
        Assert.Equal("refresh_token", Sandbox.LastRevocationRequest["token_type_hint"]);
        var view = await admin.GetFromJsonAsync<JsonElement>(new Uri("/installations/acme", UriKind.Relative));
        Assert.Equal("Uninstalled", view.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("accessTokenExpiresAt").ValueKind);
        Assert.Equal(0, Database.Count(_host, "token_sets"));
    }

    [Fact]
    public async Task Uninstall_OfAnUnknownAccount_Is404()
    {
        using var admin = _host.CreateAdmin();

        using var response = await admin.DeleteAsync(new Uri("/installations/nobody", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key-wrong-key-wrong")]
    [InlineData("Basic dGVzdDp0ZXN0")]
    public async Task Row28_AdminRoutesWithoutTheRightCredential_Are401AndRevokeNothing(string? authorization)
    {
        await InstallAsync("acme");
        using var client = _host.CreateClient();
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        using var delete = await client.DeleteAsync(new Uri("/installations/acme", UriKind.Relative));
        using var refresh = await client.PostAsync(new Uri("/installations/acme/refresh", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Unauthorized, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        Assert.Equal(0, Sandbox.Revocations);
        Assert.Equal(0, Sandbox.TokenRequestsFor("refresh_token"));
        Assert.Equal(1, Database.Count(_host, "token_sets"));
    }

    [Fact]
    public async Task Refresh_RenewsTheAccessTokenAndReportsTheNewExpiry()
    {
        await InstallAsync("acme");
        _host.Time.Advance(TimeSpan.FromHours(3));
        using var admin = _host.CreateAdmin();

        using var response = await admin.PostAsync(new Uri("/installations/acme/refresh", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(_host.Time.GetUtcNow().AddHours(24), body.GetProperty("accessTokenExpiresAt").GetDateTimeOffset());
        Assert.Equal(1, Sandbox.TokenRequestsFor("refresh_token"));
    }

    [Fact]
    public async Task Refresh_AfterTheUserRevokedTheAppInGorgias_Is409AndTheInstallationNeedsReauthorization()
    {
        await InstallAsync("acme");
        using var admin = _host.CreateAdmin();
        await RevokeAtGorgiasAsync("acme");

        using var response = await admin.PostAsync(new Uri("/installations/acme/refresh", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var view = await admin.GetFromJsonAsync<JsonElement>(new Uri("/installations/acme", UriKind.Relative));
        Assert.Equal("ReauthorizationRequired", view.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Refresh_WhenGorgiasIsDown_Is503WithRetryAfterAndKeepsTheTokens()
    {
        await using var gorgias = await ScriptableGorgias.StartAsync();
        var tokens = new GorgiasTokens(gorgias);
        using var host = new IntegrationHost(new Dictionary<string, string?> { ["Gorgias:BaseUrlTemplate"] = gorgias.BaseUrlTemplate }, sandbox: false);
        using var browser = CrossHostBrowser.Create(host);
        (await BrowserFlow.InstallAutoApprovedAsync(browser, "acme")).Dispose();
        gorgias.On("POST", "/oauth/token", request => request.Form["grant_type"] == "refresh_token"
            ? ScriptedAnswer.Text(503, "down", "text/plain")
            : ScriptedAnswer.JsonOf(tokens.DefaultTokenResponse(request.Account)));
        host.Time.Advance(TimeSpan.FromHours(25));
        using var admin = host.CreateAdmin();

        using var response = await admin.PostAsync(new Uri("/installations/acme/refresh", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(1, Database.Count(host, "token_sets"));
        var view = await admin.GetFromJsonAsync<JsonElement>(new Uri("/installations/acme", UriKind.Relative));
        Assert.Equal("Active", view.GetProperty("status").GetString());
    }

    [Fact]
    public async Task GorgiasAccount_CallsTheApiWithTheStoredToken()
    {
        await InstallAsync("acme");
        using var admin = _host.CreateAdmin();

        var account = await admin.GetFromJsonAsync<JsonElement>(new Uri("/installations/acme/gorgias/account", UriKind.Relative));

        Assert.Equal("acme", account.GetProperty("domain").GetString());
        Assert.Equal("active", account.GetProperty("status").GetString());
        Assert.Equal(1, Sandbox.ApiCalls);
    }

    [Fact]
    public async Task GorgiasAccount_AfterUninstall_Is409AndCallsNothing()
    {
        await InstallAsync("acme");
        using var admin = _host.CreateAdmin();
        (await admin.DeleteAsync(new Uri("/installations/acme", UriKind.Relative))).Dispose();

        using var response = await admin.GetAsync(new Uri("/installations/acme/gorgias/account", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(0, Sandbox.ApiCalls);
    }

    [Fact]
    public async Task GorgiasAccount_ForAnUnknownAccount_Is404()
    {
        using var admin = _host.CreateAdmin();

        using var response = await admin.GetAsync(new Uri("/installations/nobody/gorgias/account", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    public void Dispose() => _host.Dispose();

    private async Task RevokeAtGorgiasAsync(string account)
    {
        // As if the user clicked Uninstall in Gorgias: the refresh token the Host holds stops working.
        using var client = _host.CreateClient();
        var tokens = await _host.Services.GetRequiredService<Gorgias.Integration.Application.Abstractions.ITokenSetRepository>()
            .FindAsync(Gorgias.Integration.Domain.Installations.AccountName.Parse(account), CancellationToken.None);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/sandbox/{account}/oauth/revoke", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = tokens!.RefreshToken }),
        };
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{IntegrationHost.ClientId}:{IntegrationHost.ClientSecret}")));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task InstallAsync(string account)
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        using var response = await BrowserFlow.InstallAsync(browser, account);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

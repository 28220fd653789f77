using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Gorgias.Integration.Infrastructure.Tests.Sandbox;

/// <summary>The sandbox's token, revoke and API endpoints, spoken to directly.</summary>
public sealed class SandboxApiTests
{
    [Fact]
    public async Task ApiAccount_WithoutAToken_Is401()
    {
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret);
        using var client = sandbox.CreateClient();

        using var response = await client.GetAsync("sandbox/acme/api/account");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ApiAccount_WithAValidToken_Is200_WithTheAccountAndTheCallLimitHeader()
    {
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret);
        var token = await AccessTokenAsync(sandbox, "acme");

        using var response = await GetAccountAsync(sandbox, "ACME", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1/80", response.Headers.GetValues("X-Gorgias-Account-Api-Call-Limit").Single());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("acme", json.RootElement.GetProperty("domain").GetString());
        Assert.Equal("active", json.RootElement.GetProperty("status").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("deactivated_datetime").ValueKind);
        Assert.Equal("2017-11-23T15:59:41.966927", json.RootElement.GetProperty("created_datetime").GetString());
    }

    [Fact]
    public async Task ApiAccount_WithAnExpiredToken_Is401()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        var token = await AccessTokenAsync(sandbox, "acme");

        time.Advance(TimeSpan.FromHours(23));
        using (var stillValid = await GetAccountAsync(sandbox, "acme", token))
        {
            Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
        }

        time.Advance(TimeSpan.FromHours(1));
        using var expired = await GetAccountAsync(sandbox, "acme", token);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task ApiAccount_WithAnotherAccountsToken_Is401()
    {
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret);
        var token = await AccessTokenAsync(sandbox, "other");

        using var response = await GetAccountAsync(sandbox, "acme", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ApiAccount_WithATamperedTokenOrAnIdToken_Is401()
    {
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret);
        var tokens = await TokenResponseAsync(sandbox, "acme");
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        var parts = accessToken.Split('.');
        var payload = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])).Replace("\"sub\":\"1\"", "\"sub\":\"2\"", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";

        using var tamperedResponse = await GetAccountAsync(sandbox, "acme", tampered);
        using var idTokenResponse = await GetAccountAsync(sandbox, "acme", tokens.GetProperty("id_token").GetString()!);

        Assert.Equal(HttpStatusCode.Unauthorized, tamperedResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, idTokenResponse.StatusCode);
    }

    [Fact]
    public async Task ApiAccount_Over80CallsIn20Seconds_Is429WithRetryAfter()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        var token = await AccessTokenAsync(sandbox, "acme");
        for (var i = 0; i < 80; i++)
        {
            using var ok = await GetAccountAsync(sandbox, "acme", token);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var limited = await GetAccountAsync(sandbox, "acme", token);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        time.Advance(TimeSpan.FromSeconds(1));
        using var again = await GetAccountAsync(sandbox, "acme", token);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Token_ResponseIsGorgiasShaped_WithAccessTokenClaims()
    {
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret);

        var response = await TokenResponseAsync(sandbox, "acme");

        Assert.Equal(0, response.GetProperty("expires_in").GetInt32());
        Assert.Equal("Bearer", response.GetProperty("token_type").GetString());
        Assert.Equal(SandboxFlow.Scopes, response.GetProperty("scope").GetString());
        Assert.False(string.IsNullOrEmpty(response.GetProperty("refresh_token").GetString()));
        var claims = Claims(response.GetProperty("access_token").GetString()!);
        Assert.Equal(86400, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
        Assert.Equal($"{sandbox.Address}sandbox/acme", claims.GetProperty("iss").GetString());
        Assert.Equal($"{sandbox.Address}sandbox/acme/api", claims.GetProperty("aud").GetString());
        Assert.Equal(SandboxFlow.Scopes, claims.GetProperty("scope").GetString());
        Assert.False(string.IsNullOrEmpty(claims.GetProperty("jti").GetString()));
        Assert.False(string.IsNullOrEmpty(claims.GetProperty("sub").GetString()));
        var idClaims = Claims(response.GetProperty("id_token").GetString()!);
        Assert.Equal(SandboxCredentials.ClientId, idClaims.GetProperty("aud").GetString());
        Assert.Equal("nonce-1", idClaims.GetProperty("nonce").GetString());
        Assert.Contains("@", idClaims.GetProperty("email").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(idClaims.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer abc")]
    [InlineData("Basic !!!")]
    public async Task Token_WithoutValidBasicAuth_Is401InvalidClient_AndIsCounted(string? authorization)
    {
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret);
        using var client = sandbox.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "sandbox/acme/oauth/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = "x" }),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"error":"invalid_client"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, sandbox.Monitor.TokenRequestsFor("refresh_token"));
        Assert.Equal("x", sandbox.Monitor.LastTokenRequest["refresh_token"]);
    }

    [Fact]
    public async Task Revoke_UnknownToken_Is200WithAnEmptyObject()
    {
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret);
        using var client = sandbox.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "sandbox/acme/oauth/revoke")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = "never-issued" }),
        };
        request.Headers.Authorization = BasicAuth();

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, sandbox.Monitor.Revocations);
    }

    [Fact]
    public async Task Token_CodeOlderThan60Seconds_IsInvalidGrant()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        var code = await SandboxFlow.ApproveAsync(sandbox);
        time.Advance(TimeSpan.FromSeconds(61));

        using var response = await PostTokenAsync(sandbox, "acme", new() { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = SandboxFlow.RedirectUri });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_grant", json.RootElement.GetProperty("error").GetString());
    }

    private static async Task<string> AccessTokenAsync(SandboxServer sandbox, string account) =>
        (await TokenResponseAsync(sandbox, account)).GetProperty("access_token").GetString()!;

    private static async Task<JsonElement> TokenResponseAsync(SandboxServer sandbox, string account)
    {
        var code = await SandboxFlow.ApproveAsync(sandbox, account);
        using var response = await PostTokenAsync(sandbox, account, new() { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = SandboxFlow.RedirectUri });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    private static async Task<HttpResponseMessage> PostTokenAsync(SandboxServer sandbox, string account, Dictionary<string, string> form)
    {
        using var client = sandbox.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"sandbox/{account}/oauth/token") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = BasicAuth();
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> GetAccountAsync(SandboxServer sandbox, string account, string token)
    {
        using var client = sandbox.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"sandbox/{account}/api/account");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    private static AuthenticationHeaderValue BasicAuth() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{SandboxCredentials.ClientId}:{SandboxCredentials.ClientSecret}")));

    private static JsonElement Claims(string jwt)
    {
        using var json = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[1]));
        return json.RootElement.Clone();
    }
}

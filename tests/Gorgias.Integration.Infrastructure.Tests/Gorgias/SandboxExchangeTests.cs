using System.Net;
using System.Net.Http.Headers;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Gorgias.Integration.Infrastructure.Tests.Sandbox;
using Gorgias.Integration.Testing;

namespace Gorgias.Integration.Infrastructure.Tests.Gorgias;

/// <summary>The Refit adapter against the real sandbox: the whole OAuth life cycle, as Gorgias behaves.</summary>
public sealed class SandboxExchangeTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private static readonly AccountName Acme = AccountName.Parse("acme");

    private SandboxServer Sandbox => fixture.Host;

    private AdapterHarness Adapter(SandboxServer? sandbox = null, string secret = SandboxCredentials.ClientSecret) =>
        new((sandbox ?? Sandbox).BaseUrlTemplate, SandboxCredentials.ClientId, secret);

    [Fact]
    public async Task CodeExchange_Succeeds_WithExpiresInNullAndAJwtThatExpiresIn24Hours()
    {
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret);
        using var adapter = Adapter(sandbox);
        var verifier = SandboxFlow.NewCodeVerifier();
        var code = await SandboxFlow.ApproveAsync(sandbox, nonce: "n-123", codeChallenge: SandboxFlow.ChallengeFor(verifier));

        var before = DateTimeOffset.UtcNow;
        var result = await adapter.Server.ExchangeCodeAsync(new CodeExchange(Acme, code, SandboxFlow.RedirectUri, verifier), CancellationToken.None);

        Assert.True(result.IsSuccess, result.ToString());
        var grant = result.Grant!;
        Assert.Null(grant.ExpiresIn);
        Assert.Equal("Bearer", grant.TokenType);
        Assert.NotNull(grant.RefreshToken);
        Assert.Equal(["openid", "email", "profile", "offline", "account:read"], grant.Scopes);
        Assert.True(TokenExpiry.TryReadJwtExpiry(grant.AccessToken, out var exp));
        Assert.InRange(exp - before, TimeSpan.FromHours(24) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        Assert.Equal(exp, TokenExpiry.Compute(grant.ExpiresIn, grant.AccessToken, before));

        var idToken = adapter.IdTokenReader.Read(result.IdToken!);
        Assert.NotNull(idToken);
        Assert.Equal("n-123", idToken.Nonce);
        Assert.Contains(SandboxCredentials.ClientId, idToken.Audiences);
        Assert.EndsWith("/sandbox/acme", idToken.Issuer, StringComparison.Ordinal);
        Assert.True(idToken.ExpiresAt > before);

        Assert.Equal(1, sandbox.Monitor.TokenRequests);
        Assert.Equal(1, sandbox.Monitor.TokenRequestsFor("authorization_code"));
        var sent = sandbox.Monitor.LastTokenRequest;
        Assert.Equal(SandboxFlow.RedirectUri, sent["redirect_uri"]);
        Assert.Equal(verifier, sent["code_verifier"]);

        // The access token works on the API.
        using var client = sandbox.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "sandbox/acme/api/account");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", grant.AccessToken);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Row24_Refresh_ReturnsANewAccessTokenButNoNewRefreshToken()
    {
        using var adapter = Adapter();
        var grant = await ExchangeAsync(adapter);

        var refreshed = await adapter.Server.RefreshAsync(Acme, grant.RefreshToken!, CancellationToken.None);

        Assert.True(refreshed.IsSuccess, refreshed.ToString());
        Assert.Null(refreshed.Grant!.RefreshToken);
        Assert.Null(refreshed.Grant.ExpiresIn);
        Assert.Null(refreshed.IdToken);
        Assert.NotEqual(grant.AccessToken, refreshed.Grant.AccessToken);

        // Gorgias's behaviour: the old refresh token keeps working.
        var again = await adapter.Server.RefreshAsync(Acme, grant.RefreshToken!, CancellationToken.None);
        Assert.True(again.IsSuccess, again.ToString());
    }

    [Fact]
    public async Task Row24_Refresh_WithRotationOn_ReturnsANewRefreshTokenAndRetiresTheOldOne()
    {
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, configure: options => options.RotateRefreshTokens = true);
        using var adapter = Adapter(sandbox);
        var grant = await ExchangeAsync(adapter, sandbox);

        var refreshed = await adapter.Server.RefreshAsync(Acme, grant.RefreshToken!, CancellationToken.None);

        Assert.True(refreshed.IsSuccess, refreshed.ToString());
        Assert.NotNull(refreshed.Grant!.RefreshToken);
        Assert.NotEqual(grant.RefreshToken, refreshed.Grant.RefreshToken);
        Assert.Equal(AuthorizationServerError.InvalidGrant, (await adapter.Server.RefreshAsync(Acme, grant.RefreshToken!, CancellationToken.None)).Error);
        Assert.True((await adapter.Server.RefreshAsync(Acme, refreshed.Grant.RefreshToken!, CancellationToken.None)).IsSuccess);
    }

    [Fact]
    public async Task Row26_Revoke_SendsTheRefreshTokenWithItsHint_ThenRefreshIsInvalidGrant()
    {
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret);
        using var adapter = Adapter(sandbox);
        var grant = await ExchangeAsync(adapter, sandbox);

        var revoked = await adapter.Server.RevokeAsync(Acme, grant.RefreshToken!, CancellationToken.None);

        Assert.Equal(RevocationResult.Success, revoked);
        Assert.Equal(1, sandbox.Monitor.Revocations);
        Assert.Equal(grant.RefreshToken, sandbox.Monitor.LastRevocationRequest["token"]);
        Assert.Equal("refresh_token", sandbox.Monitor.LastRevocationRequest["token_type_hint"]);

        var refreshed = await adapter.Server.RefreshAsync(Acme, grant.RefreshToken!, CancellationToken.None);
        Assert.Equal(AuthorizationServerError.InvalidGrant, refreshed.Error);
        Assert.Equal("invalid_grant", refreshed.ErrorCode);

        // RFC 7009: revoking again (an unknown token by now) is still 200.
        Assert.True((await adapter.Server.RevokeAsync(Acme, grant.RefreshToken!, CancellationToken.None)).Revoked);
    }

    [Fact]
    public async Task Row16_CodeReuse_IsInvalidGrant()
    {
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret);
        using var adapter = Adapter(sandbox);
        var code = await SandboxFlow.ApproveAsync(sandbox);
        var exchange = new CodeExchange(Acme, code, SandboxFlow.RedirectUri, null);

        Assert.True((await adapter.Server.ExchangeCodeAsync(exchange, CancellationToken.None)).IsSuccess);
        var second = await adapter.Server.ExchangeCodeAsync(exchange, CancellationToken.None);

        Assert.Equal(AuthorizationServerError.InvalidGrant, second.Error);
        Assert.Null(second.Grant);
        Assert.Equal(2, sandbox.Monitor.TokenRequestsFor("authorization_code"));
    }

    [Theory]
    [InlineData("https://app.example/oauth/callback?account=acme&x=1")]
    [InlineData("https://app.example/oauth/callback/?account=acme")]
    [InlineData("https://APP.example/oauth/callback?account=acme")]
    [InlineData("https://app.example/oauth/callback?account=Acme")]
    public async Task Row5_RedirectUriNotByteIdentical_IsInvalidGrant(string redirectUri)
    {
        using var adapter = Adapter();
        var code = await SandboxFlow.ApproveAsync(Sandbox);

        var result = await adapter.Server.ExchangeCodeAsync(new CodeExchange(Acme, code, redirectUri, null), CancellationToken.None);

        Assert.Equal(AuthorizationServerError.InvalidGrant, result.Error);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Row11_PkceVerifierWrongOrMissing_IsInvalidGrant(bool sendAVerifier)
    {
        using var adapter = Adapter();
        var code = await SandboxFlow.ApproveAsync(Sandbox, codeChallenge: SandboxFlow.ChallengeFor(SandboxFlow.NewCodeVerifier()));

        var verifier = sendAVerifier ? SandboxFlow.NewCodeVerifier() : null;
        var result = await adapter.Server.ExchangeCodeAsync(new CodeExchange(Acme, code, SandboxFlow.RedirectUri, verifier), CancellationToken.None);

        Assert.Equal(AuthorizationServerError.InvalidGrant, result.Error);
    }

    [Fact]
    public async Task Row10_CodeIssuedForAnotherAccount_IsInvalidGrant()
    {
        using var adapter = Adapter();
        var code = await SandboxFlow.ApproveAsync(Sandbox, account: "other");

        var result = await adapter.Server.ExchangeCodeAsync(new CodeExchange(Acme, code, SandboxFlow.RedirectUri, null), CancellationToken.None);

        Assert.Equal(AuthorizationServerError.InvalidGrant, result.Error);
    }

    [Fact]
    public async Task Row19_WithoutOfflineScope_NoRefreshTokenAndWithoutOpenidNoIdToken()
    {
        using var adapter = Adapter();
        var code = await SandboxFlow.ApproveAsync(Sandbox, scope: "account:read");

        var result = await adapter.Server.ExchangeCodeAsync(new CodeExchange(Acme, code, SandboxFlow.RedirectUri, null), CancellationToken.None);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Null(result.Grant!.RefreshToken);
        Assert.Null(result.IdToken);
        Assert.Equal(["account:read"], result.Grant.Scopes);
    }

    [Fact]
    public async Task Row17_InvalidClient_IsTyped_AndTheSecretTravelsFormEncodedInTheBasicHeader()
    {
        // ':' '+' '%' space and non-ASCII: each one breaks a client that does not form-encode before base64.
        const string secret = "a:b+c%d e\u00e9\u2603";
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, configure: options => options.ClientSecret = secret);
        using var right = Adapter(sandbox, secret);
        using var wrong = Adapter(sandbox, "a:b+c%d e");

        var code = await SandboxFlow.ApproveAsync(sandbox);
        var rejected = await wrong.Server.ExchangeCodeAsync(new CodeExchange(Acme, code, SandboxFlow.RedirectUri, null), CancellationToken.None);
        Assert.Equal(AuthorizationServerError.InvalidClient, rejected.Error);
        Assert.Equal(1, sandbox.Monitor.TokenRequests);
        Assert.Contains(wrong.Logs, line => line.StartsWith("Error", StringComparison.Ordinal) && line.Contains("invalid_client", StringComparison.Ordinal));

        code = await SandboxFlow.ApproveAsync(sandbox);
        var accepted = await right.Server.ExchangeCodeAsync(new CodeExchange(Acme, code, SandboxFlow.RedirectUri, null), CancellationToken.None);
        Assert.True(accepted.IsSuccess, accepted.ToString());
        Assert.True((await right.Server.RevokeAsync(Acme, accepted.Grant!.RefreshToken!, CancellationToken.None)).Revoked);
        Assert.Equal(AuthorizationServerError.InvalidClient, (await wrong.Server.RevokeAsync(Acme, "x", CancellationToken.None)).Error);
    }

    [Fact]
    public async Task Row31_NoLogLineAtTrace_ContainsACodeTokenSecretOrAuthorizationHeader()
    {
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret);
        using var adapter = Adapter(sandbox);
        var code = await SandboxFlow.ApproveAsync(sandbox);
        var grant = (await adapter.Server.ExchangeCodeAsync(new CodeExchange(Acme, code, SandboxFlow.RedirectUri, null), CancellationToken.None)).Grant!;
        var refreshed = (await adapter.Server.RefreshAsync(Acme, grant.RefreshToken!, CancellationToken.None)).Grant!;
        await adapter.Server.RevokeAsync(Acme, grant.RefreshToken!, CancellationToken.None);
        await adapter.Server.RefreshAsync(Acme, grant.RefreshToken!, CancellationToken.None);
        await adapter.Server.ExchangeCodeAsync(new CodeExchange(Acme, code, SandboxFlow.RedirectUri, null), CancellationToken.None);

        Assert.NotEmpty(adapter.Logs);
        var secrets = new[] { code, grant.AccessToken, grant.RefreshToken!, refreshed.AccessToken, SandboxCredentials.ClientSecret, "Basic " };
        foreach (var line in adapter.Logs)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
            }
        }
    }

    private async Task<TokenGrant> ExchangeAsync(AdapterHarness adapter, SandboxServer? sandbox = null)
    {
        var code = await SandboxFlow.ApproveAsync(sandbox ?? Sandbox);
        var result = await adapter.Server.ExchangeCodeAsync(new CodeExchange(Acme, code, SandboxFlow.RedirectUri, null), CancellationToken.None);
        Assert.True(result.IsSuccess, result.ToString());
        return result.Grant!;
    }
}

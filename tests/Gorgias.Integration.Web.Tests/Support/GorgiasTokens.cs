using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Gorgias.Integration.Testing;

namespace Gorgias.Integration.Web.Tests.Support;

/// <summary>
/// Gorgias-shaped tokens for a <see cref="ScriptableGorgias"/>: JWT access tokens, and id_tokens carrying the nonce the
/// account's last authorize request sent. Created on a fake, it scripts the fake's token endpoint with
/// <see cref="DefaultTokenResponse"/>; a test re-scripts that route with <c>On</c> to answer otherwise.
/// </summary>
public sealed class GorgiasTokens
{
    public const string AccessTokenSecretPart = "fake-access-signature-91ab";
    public const string RefreshToken = "fake-refresh-token-7d41e0";

    private readonly ScriptableGorgias _gorgias;

    public GorgiasTokens(ScriptableGorgias gorgias)
    {
        _gorgias = gorgias;
        gorgias.On("POST", "/oauth/token", request => ScriptedAnswer.JsonOf(DefaultTokenResponse(request.Account)));
    }

    public string ClientId { get; set; } = IntegrationHost.ClientId;

    public DateTimeOffset Now { get; set; } = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    /// <summary>An access token shaped like Gorgias's: a JWT whose exp is 24 h after <see cref="Now"/>.</summary>
    public string AccessToken(string account) => Jwt(new Dictionary<string, object>
    {
        ["iss"] = $"https://{account}.gorgias.com",
        ["aud"] = $"https://{account}.gorgias.com/api",
        ["iat"] = Now.ToUnixTimeSeconds(),
        ["exp"] = Now.AddHours(24).ToUnixTimeSeconds(),
        ["scope"] = "openid offline",
    }, AccessTokenSecretPart);

    /// <summary>An id_token as Gorgias issues it: <c>iss</c> is the account's base URL, here the fake's.</summary>
    public string IdToken(string account, string? nonce = null, string? audience = null, DateTimeOffset? expiresAt = null, string? issuer = null) => Jwt(new Dictionary<string, object>
    {
        ["iss"] = issuer ?? _gorgias.BaseUrlTemplate.Replace("{account}", account, StringComparison.Ordinal),
        ["aud"] = audience ?? ClientId,
        ["exp"] = (expiresAt ?? Now.AddHours(1)).ToUnixTimeSeconds(),
        ["nonce"] = nonce ?? _gorgias.RequestsTo("GET", "/oauth/authorize").LastOrDefault(r => r.Account == account)?.QueryValue("nonce") ?? "",
        ["sub"] = "42",
    }, "fake-id-signature");

    public Dictionary<string, object?> DefaultTokenResponse(string account) => new()
    {
        ["access_token"] = AccessToken(account),
        ["expires_in"] = 0,
        ["id_token"] = IdToken(account),
        ["refresh_token"] = RefreshToken,
        ["scope"] = "openid email profile offline account:read",
        ["token_type"] = "Bearer",
    };

    /// <summary>The Authorization header of every token request, in order.</summary>
    public IEnumerable<string> AuthorizationHeaders => _gorgias.RequestsTo("POST", "/oauth/token").Select(r => r.Authorization);

    /// <summary>The <c>token</c> of every revocation request.</summary>
    public IEnumerable<string> RevokedTokens => _gorgias.RequestsTo("POST", "/oauth/revoke").Select(r => r.Form["token"]);

    private static string Jwt(Dictionary<string, object> claims, string signature) =>
        $"{Base64Url.EncodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"u8)}.{Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims))}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(signature))}";
}

using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Gorgias.Integration.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gorgias.Integration.Web.Tests.Support;

/// <summary>
/// A Gorgias stand-in on a real Kestrel socket at 127.0.0.1 whose token endpoint a test scripts: the authorize
/// endpoint approves at once, the token endpoint answers with <see cref="TokenResponder"/>.
/// </summary>
public sealed class FakeGorgias : IAsyncDisposable
{
    public const string Code = "fake-authorization-code-5f2c";
    public const string AccessTokenSecretPart = "fake-access-signature-91ab";
    public const string RefreshToken = "fake-refresh-token-7d41e0";

    private readonly ConcurrentDictionary<string, string> _noncesByAccount = new();
    private WebApplication _app = null!;

    private FakeGorgias()
    {
        TokenResponder = (_, account) => Results.Json(DefaultTokenResponse(account));
    }

    public Uri BaseAddress { get; private set; } = null!;

    public string BaseUrlTemplate => $"{BaseAddress.GetLeftPart(UriPartial.Authority)}/{{account}}";

    /// <summary>What the token endpoint answers, given the form and the account.</summary>
    public Func<IFormCollection, string, IResult> TokenResponder { get; set; }

    public ConcurrentQueue<IReadOnlyDictionary<string, string>> TokenRequests { get; } = new();

    public ConcurrentQueue<string> AuthorizationHeaders { get; } = new();

    /// <summary>The <c>token</c> of every revocation request.</summary>
    public ConcurrentQueue<string> RevokedTokens { get; } = new();

    public string ClientId { get; set; } = IntegrationHost.ClientId;

    public DateTimeOffset Now { get; set; } = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    public static async Task<FakeGorgias> StartAsync()
    {
        var fake = new FakeGorgias();
        (fake._app, fake.BaseAddress) = await LoopbackApp.StartAsync(app =>
        {
            app.MapGet("/{account}/oauth/authorize", fake.Authorize);
            app.MapPost("/{account}/oauth/token", fake.Token);
            app.MapPost("/{account}/oauth/revoke", fake.Revoke);
        });
        return fake;
    }

    /// <summary>An access token shaped like Gorgias's: a JWT whose exp is 24 h after <see cref="Now"/>.</summary>
    public string AccessToken(string account) => Jwt(new Dictionary<string, object>
    {
        ["iss"] = $"https://{account}.gorgias.com",
        ["aud"] = $"https://{account}.gorgias.com/api",
        ["iat"] = Now.ToUnixTimeSeconds(),
        ["exp"] = Now.AddHours(24).ToUnixTimeSeconds(),
        ["scope"] = "openid offline",
    }, AccessTokenSecretPart);

    /// <summary>An id_token as Gorgias issues it: <c>iss</c> is the account's base URL, here this stand-in's.</summary>
    public string IdToken(string account, string? nonce = null, string? audience = null, DateTimeOffset? expiresAt = null, string? issuer = null) => Jwt(new Dictionary<string, object>
    {
        ["iss"] = issuer ?? BaseUrlTemplate.Replace("{account}", account, StringComparison.Ordinal),
        ["aud"] = audience ?? ClientId,
        ["exp"] = (expiresAt ?? Now.AddHours(1)).ToUnixTimeSeconds(),
        ["nonce"] = nonce ?? (_noncesByAccount.TryGetValue(account, out var sent) ? sent : ""),
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

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private IResult Authorize(string account, HttpRequest request)
    {
        _noncesByAccount[account] = request.Query["nonce"].ToString();
        var redirect = request.Query["redirect_uri"].ToString();
        var separator = redirect.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Results.Redirect($"{redirect}{separator}code={Code}&state={Uri.EscapeDataString(request.Query["state"].ToString())}");
    }

    private async Task<IResult> Token(string account, HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        TokenRequests.Enqueue(form.ToDictionary(p => p.Key, p => p.Value.ToString()));
        AuthorizationHeaders.Enqueue(request.Headers.Authorization.ToString());
        return TokenResponder(form, account);
    }

    private async Task<IResult> Revoke(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        RevokedTokens.Enqueue(form["token"].ToString());
        return Results.Json(new { });
    }

    private static string Jwt(Dictionary<string, object> claims, string signature) =>
        $"{Base64Url.EncodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"u8)}.{Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims))}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(signature))}";
}

/// <summary>Sends requests for 127.0.0.1 over a real socket and everything else into the in-memory Host.</summary>
public sealed class LoopbackRouter : DelegatingHandler
{
    private static readonly HttpClient Loopback = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { Host: "127.0.0.1" })
        {
            var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Content = request.Content };
            foreach (var header in request.Headers)
            {
                copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            return await Loopback.SendAsync(copy, cancellationToken);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}

public static class CrossHostBrowser
{
    /// <summary>A browser that keeps cookies across the in-memory Host and loopback servers; each redirect is a visible step.</summary>
    public static HttpClient Create(IntegrationHost host) => host.CreateDefaultClient(
        new Uri("https://localhost"),
        new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(),
        new LoopbackRouter());
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gorgias.Integration.Infrastructure.Tests.Gorgias;

/// <summary>The Refit adapter against a <see cref="ScriptableGorgias"/> that answers the way a broken or hostile server would.</summary>
public sealed class ClassificationTests : IAsyncLifetime
{
    private static readonly AccountName Acme = AccountName.Parse("acme");
    private static readonly CodeExchange Exchange = new(Acme, "the-code", "https://app.example/oauth/callback?account=acme", "the-verifier");

    private ScriptableGorgias _gorgias = null!;

    public async Task InitializeAsync() => _gorgias = await ScriptableGorgias.StartAsync();

    public async Task DisposeAsync() => await _gorgias.DisposeAsync();

    private AdapterHarness Adapter(TimeSpan? timeout = null, Action<IServiceCollection>? services = null) =>
        new(_gorgias.BaseUrlTemplate, "client-id", "client-secret", timeout, services);

    [Fact]
    public async Task Exchange_PostsTheFormToTheAccountsTokenEndpointOnce()
    {
        _gorgias.Otherwise(ScriptedAnswer.Json(200, """{"access_token":"at","token_type":"Bearer"}"""));
        using var adapter = Adapter();

        await adapter.Server.ExchangeCodeAsync(Exchange, CancellationToken.None);

        var request = Assert.Single(_gorgias.Requests);
        Assert.Equal(("acme", "/oauth/token"), (request.Account, request.Path));
        var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.Body);
        Assert.Equal("authorization_code", form["grant_type"].ToString());
        Assert.Equal("the-code", form["code"].ToString());
        Assert.Equal(Exchange.RedirectUri, form["redirect_uri"].ToString());
        Assert.Equal("the-verifier", form["code_verifier"].ToString());
    }

    [Fact]
    public async Task Row17_BasicHeader_FormEncodesIdAndSecretBeforeBase64()
    {
        _gorgias.Otherwise(ScriptedAnswer.Json(200, """{"access_token":"at","token_type":"Bearer"}"""));
        using var adapter = new AdapterHarness(_gorgias.BaseUrlTemplate, "my client", "a:b+c%d e\u00e9\u2603");

        await adapter.Server.RefreshAsync(Acme, "rt", CancellationToken.None);

        const string encoded = "my%20client:a%3Ab%2Bc%25d%20e%C3%A9%E2%98%83";
        var expected = "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes(encoded));
        Assert.Equal(expected, Assert.Single(_gorgias.Requests).Authorization);
    }

    [Theory]
    [InlineData("""{"access_token":"at","token_type":"Bearer","expires_in":0}""", null)]
    [InlineData("""{"access_token":"at","token_type":"bearer"}""", null)]
    [InlineData("""{"access_token":"at","token_type":"BEARER","expires_in":-5}""", null)]
    [InlineData("""{"access_token":"at","token_type":"Bearer","expires_in":3600}""", 3600L)]
    [InlineData("""{"access_token":"at","token_type":"Bearer","expires_in":"7200"}""", 7200L)]
    [InlineData("""{"access_token":"at","token_type":"Bearer","expires_in":1.5}""", null)]
    [InlineData("""{"access_token":"at","token_type":"Bearer","expires_in":null,"unknown":{"nested":[1,2,{"x":true}]}}""", null)]
    public async Task Row18_BearerInAnyCase_IsAccepted_AndZeroNegativeOrAbsentExpiresInIsNull(string body, long? expiresIn)
    {
        _gorgias.Otherwise(ScriptedAnswer.Json(200, body));
        using var adapter = Adapter();

        var result = await adapter.Server.ExchangeCodeAsync(Exchange, CancellationToken.None);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal("at", result.Grant!.AccessToken);
        Assert.Equal("Bearer", result.Grant.TokenType);
        Assert.Equal(expiresIn, result.Grant.ExpiresIn);
        Assert.Null(result.Grant.RefreshToken);
        Assert.Empty(result.Grant.Scopes);
    }

    [Fact]
    public async Task Success_SplitsScopes_KeepsRefreshAndIdToken_AndTreatsAnEmptyRefreshTokenAsNone()
    {
        _gorgias.Otherwise(ScriptedAnswer.Json(200, """{"access_token":"at","token_type":"Bearer","scope":"openid  offline write:all","refresh_token":"rt","id_token":"a.b.c"}"""));
        using var adapter = Adapter();

        var result = await adapter.Server.ExchangeCodeAsync(Exchange, CancellationToken.None);

        Assert.Equal(["openid", "offline", "write:all"], result.Grant!.Scopes);
        Assert.Equal("rt", result.Grant.RefreshToken);
        Assert.Equal("a.b.c", result.IdToken);

        _gorgias.Otherwise(ScriptedAnswer.Json(200, """{"access_token":"at","token_type":"Bearer","refresh_token":""}"""));
        Assert.Null((await adapter.Server.RefreshAsync(Acme, "rt", CancellationToken.None)).Grant!.RefreshToken);
    }

    [Theory]
    [InlineData("<html><body><h1>Sign in to Gorgias</h1></body></html>", "text/html")]
    [InlineData("not json at all", "text/plain")]
    [InlineData("""{"access_token":"at","token_type":"Bea""", "application/json")]
    [InlineData("""{"token_type":"Bearer","expires_in":0}""", "application/json")]
    [InlineData("""{"access_token":"","token_type":"Bearer"}""", "application/json")]
    [InlineData("""{"access_token":123,"token_type":"Bearer"}""", "application/json")]
    [InlineData("""{"access_token":"at","token_type":"mac"}""", "application/json")]
    [InlineData("""{"access_token":"at","token_type":"Bearer "}""", "application/json")]
    [InlineData("""{"access_token":"at"}""", "application/json")]
    [InlineData("""{"access_token":"at","access_token":"other","token_type":"Bearer"}""", "application/json")]
    [InlineData("""[{"access_token":"at","token_type":"Bearer"}]""", "application/json")]
    [InlineData("", "application/json")]
    public async Task Row18_UnusableSuccessBody_IsInvalidResponse(string body, string contentType)
    {
        _gorgias.Otherwise(ScriptedAnswer.Text(200, body, contentType));
        using var adapter = Adapter();

        var result = await adapter.Server.ExchangeCodeAsync(Exchange, CancellationToken.None);

        Assert.Equal(AuthorizationServerError.InvalidResponse, result.Error);
        Assert.Null(result.Grant);
    }

    [Theory]
    [InlineData(400, """{"error":"invalid_grant","error_description":"DESCRIPTION-TEXT"}""", AuthorizationServerError.InvalidGrant, "invalid_grant")]
    [InlineData(401, """{"error":"invalid_grant"}""", AuthorizationServerError.InvalidGrant, "invalid_grant")]
    [InlineData(401, """{"error":"invalid_client","error_description":"DESCRIPTION-TEXT"}""", AuthorizationServerError.InvalidClient, "invalid_client")]
    [InlineData(400, """{"error":"invalid_client"}""", AuthorizationServerError.InvalidClient, "invalid_client")]
    [InlineData(401, "", AuthorizationServerError.InvalidClient, null)]
    [InlineData(401, "<html>Unauthorized</html>", AuthorizationServerError.InvalidClient, null)]
    [InlineData(400, """{"error":"invalid_scope","error_description":"DESCRIPTION-TEXT"}""", AuthorizationServerError.OAuthError, "invalid_scope")]
    [InlineData(400, """{"error":"unsupported_grant_type"}""", AuthorizationServerError.OAuthError, "unsupported_grant_type")]
    [InlineData(403, """{"error":"access_denied"}""", AuthorizationServerError.OAuthError, "access_denied")]
    [InlineData(400, """{"error":"bad\nline with DESCRIPTION-TEXT"}""", AuthorizationServerError.OAuthError, "unrecognized_error")]
    [InlineData(400, "<html>Bad Request</html>", AuthorizationServerError.InvalidResponse, null)]
    [InlineData(400, """{"error":42}""", AuthorizationServerError.InvalidResponse, null)]
    [InlineData(404, "", AuthorizationServerError.InvalidResponse, null)]
    [InlineData(204, "", AuthorizationServerError.InvalidResponse, null)]
    [InlineData(500, "", AuthorizationServerError.Unavailable, null)]
    [InlineData(502, "<html>Bad Gateway</html>", AuthorizationServerError.Unavailable, null)]
    [InlineData(429, "", AuthorizationServerError.RateLimited, null)]
    public async Task Row16_17_25_ErrorStatus_IsClassified_AndOnlyTheErrorCodeIsKept(int status, string body, AuthorizationServerError error, string? errorCode)
    {
        _gorgias.Otherwise(ScriptedAnswer.Json(status, body));
        using var adapter = Adapter();

        var result = await adapter.Server.ExchangeCodeAsync(Exchange, CancellationToken.None);

        Assert.Equal(error, result.Error);
        Assert.Equal(errorCode, result.ErrorCode);
        Assert.Null(result.RetryAfter);
        Assert.DoesNotContain(adapter.Logs, line => line.Contains("DESCRIPTION-TEXT", StringComparison.Ordinal));
        Assert.Single(_gorgias.Requests);
    }

    [Theory]
    [InlineData(429, "7", AuthorizationServerError.RateLimited, 7)]
    [InlineData(429, "86400", AuthorizationServerError.RateLimited, 300)]
    [InlineData(503, "12", AuthorizationServerError.Unavailable, 12)]
    [InlineData(503, "soon", AuthorizationServerError.Unavailable, null)]
    public async Task Row25_RetryAfterSeconds_IsReadAndCapped(int status, string retryAfter, AuthorizationServerError error, int? seconds)
    {
        _gorgias.Otherwise(ScriptedAnswer.Json(status, "", ("Retry-After", retryAfter)));
        using var adapter = Adapter();

        var result = await adapter.Server.RefreshAsync(Acme, "rt", CancellationToken.None);

        Assert.Equal(error, result.Error);
        Assert.True(result.IsTransient);
        Assert.Equal(seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), result.RetryAfter);
    }

    [Fact]
    public async Task Row25_RetryAfterHttpDate_IsMeasuredFromTheTimeProvider()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var date = time.GetUtcNow().AddSeconds(30).ToString("R", CultureInfo.InvariantCulture);
        _gorgias.Otherwise(ScriptedAnswer.Json(429, "", ("Retry-After", date)));
        using var adapter = Adapter(services: services => services.AddSingleton<TimeProvider>(time));

        var result = await adapter.Server.RefreshAsync(Acme, "rt", CancellationToken.None);

        Assert.Equal(AuthorizationServerError.RateLimited, result.Error);
        Assert.Equal(TimeSpan.FromSeconds(30), result.RetryAfter);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task Row22_RedirectFromTheTokenEndpoint_IsNotFollowed(int status)
    {
        await using var elsewhere = await ScriptableGorgias.StartAsync();
        elsewhere.Otherwise(ScriptedAnswer.Json(200, """{"access_token":"at","token_type":"Bearer"}"""));
        _gorgias.Otherwise(ScriptedAnswer.Empty(status, ("Location", elsewhere.BaseUrlTemplate.Replace("{account}", "acme", StringComparison.Ordinal) + "/oauth/token")));
        using var adapter = Adapter();

        var result = await adapter.Server.ExchangeCodeAsync(Exchange, CancellationToken.None);

        Assert.Equal(AuthorizationServerError.InvalidResponse, result.Error);
        Assert.Single(_gorgias.Requests);
        Assert.Empty(elsewhere.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Row38_A50MegabyteBody_IsInvalidResponse_WithoutBeingReadWhole(bool declareLength)
    {
        // A raw socket rather than Kestrel: Kestrel completes writes to a closed connection silently, a socket throws,
        // so the count below is what the client let through before it hung up.
        const long total = 50L * 1024 * 1024;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var written = ServeHugeBodyAsync(listener, total, declareLength);
        using var adapter = new AdapterHarness($"http://127.0.0.1:{port}/gorgias/{{account}}", "client-id", "client-secret");

        var result = await adapter.Server.ExchangeCodeAsync(Exchange, CancellationToken.None);

        Assert.Equal(AuthorizationServerError.InvalidResponse, result.Error);
        var bytes = await written.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(bytes < 10L * 1024 * 1024, $"The server wrote {bytes} bytes before the client hung up.");
    }

    private static async Task<long> ServeHugeBodyAsync(TcpListener listener, long total, bool declareLength)
    {
        using var client = await listener.AcceptTcpClientAsync();
        await using var stream = client.GetStream();
        var request = new byte[8192];
        _ = await stream.ReadAsync(request);
        var headers = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + (declareLength ? $"Content-Length: {total}\r\n" : "Transfer-Encoding: chunked\r\n") + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(headers));
        var data = Encoding.ASCII.GetBytes("{\"access_token\":\"" + new string('a', (64 * 1024) - 16));
        var chunk = declareLength ? data : [.. Encoding.ASCII.GetBytes($"{data.Length:x}\r\n"), .. data, .. "\r\n"u8];
        long sent = 0;
        try
        {
            while (sent < total)
            {
                await stream.WriteAsync(chunk);
                sent += data.Length;
            }
        }
        catch (IOException)
        {
            // The client hung up: that is the point.
        }

        return sent;
    }

    [Fact]
    public async Task Row38_NoAnswerWithinTheTimeout_IsUnavailable()
    {
        _gorgias.Otherwise(ScriptedAnswer.Held(200));
        using var adapter = Adapter(timeout: TimeSpan.FromMilliseconds(200));
        try
        {
            var stopwatch = Stopwatch.StartNew();
            var result = await adapter.Server.ExchangeCodeAsync(Exchange, CancellationToken.None);

            Assert.Equal(AuthorizationServerError.Unavailable, result.Error);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"Took {stopwatch.Elapsed}.");
        }
        finally
        {
            _gorgias.ReleaseHeld();
        }
    }

    [Fact]
    public async Task Row38_ABodyThatNeverEnds_IsBoundedByTheTimeoutToo()
    {
        _gorgias.Otherwise(ScriptedAnswer.Json(200, """{"access_token":""") with { BodyFirst = true, Hold = true });
        using var adapter = Adapter(timeout: TimeSpan.FromMilliseconds(200));
        try
        {
            var result = await adapter.Server.ExchangeCodeAsync(Exchange, CancellationToken.None);
            Assert.Equal(AuthorizationServerError.Unavailable, result.Error);
        }
        finally
        {
            _gorgias.ReleaseHeld();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DroppedConnection_IsUnavailable(bool afterPartOfTheBody)
    {
        _gorgias.Otherwise(afterPartOfTheBody
            ? ScriptedAnswer.Json(200, """{"access_token":""") with { ContentLength = 1000, BodyFirst = true, DropConnection = true }
            : ScriptedAnswer.Dropped);
        using var adapter = Adapter();

        var result = await adapter.Server.ExchangeCodeAsync(Exchange, CancellationToken.None);

        Assert.Equal(AuthorizationServerError.Unavailable, result.Error);
    }

    [Fact]
    public async Task CallerCancellation_PropagatesAsOperationCanceledException()
    {
        _gorgias.Otherwise(ScriptedAnswer.Held(200));
        using var adapter = Adapter(timeout: TimeSpan.FromSeconds(15));
        using var cancellation = new CancellationTokenSource();
        try
        {
            var call = adapter.Server.ExchangeCodeAsync(Exchange, cancellation.Token);
            await _gorgias.WaitForRequestsAsync(1);
            await cancellation.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        }
        finally
        {
            _gorgias.ReleaseHeld();
        }
    }

    [Fact]
    public async Task Revoke_200_IsSuccess_AndSendsTokenWithHint()
    {
        _gorgias.Otherwise(ScriptedAnswer.Json(200, "{}"));
        using var adapter = Adapter();

        var result = await adapter.Server.RevokeAsync(Acme, "the-refresh-token", CancellationToken.None);

        Assert.Equal(RevocationResult.Success, result);
        var request = Assert.Single(_gorgias.Requests);
        Assert.Equal(("acme", "/oauth/revoke"), (request.Account, request.Path));
        Assert.Equal("token=the-refresh-token&token_type_hint=refresh_token", request.Body);
    }

    [Theory]
    [InlineData(503, "5", AuthorizationServerError.Unavailable, 5)]
    [InlineData(429, "9", AuthorizationServerError.RateLimited, 9)]
    [InlineData(401, null, AuthorizationServerError.InvalidClient, null)]
    [InlineData(302, null, AuthorizationServerError.InvalidResponse, null)]
    public async Task Row27_RevokeFailure_IsTyped(int status, string? retryAfter, AuthorizationServerError error, int? seconds)
    {
        (string, string)[] headers = [.. retryAfter is null ? [] : new[] { ("Retry-After", retryAfter) },
            .. status == 302 ? [("Location", "http://127.0.0.1:9/elsewhere")] : Array.Empty<(string, string)>()];
        _gorgias.Otherwise(ScriptedAnswer.Json(status, "", headers));
        using var adapter = Adapter();

        var result = await adapter.Server.RevokeAsync(Acme, "rt", CancellationToken.None);

        Assert.Equal(new RevocationResult(false, error, seconds is null ? null : TimeSpan.FromSeconds(seconds.Value)), result);
    }

    [Fact]
    public async Task Revoke_Timeout_IsUnavailable()
    {
        _gorgias.Otherwise(ScriptedAnswer.Held(200));
        using var adapter = Adapter(timeout: TimeSpan.FromMilliseconds(200));
        try
        {
            var result = await adapter.Server.RevokeAsync(Acme, "rt", CancellationToken.None);
            Assert.Equal(new RevocationResult(false, AuthorizationServerError.Unavailable), result);
        }
        finally
        {
            _gorgias.ReleaseHeld();
        }
    }

    [Fact]
    public async Task Row16_AHostWideResilienceHandler_DoesNotMakeTheTokenRequestRepeat()
    {
        _gorgias.Otherwise(ScriptedAnswer.Json(503, ""));
        using var adapter = Adapter(services: services =>
            services.ConfigureHttpClientDefaults(builder => builder.AddStandardResilienceHandler()));

        var result = await adapter.Server.ExchangeCodeAsync(Exchange, CancellationToken.None);

        Assert.Equal(AuthorizationServerError.Unavailable, result.Error);
        Assert.Single(_gorgias.Requests);
    }
}

using System.Net;
using Gorgias.Integration.Testing;

namespace Gorgias.Integration.Infrastructure.Tests.Testing;

/// <summary>The one fake Gorgias does what its scripts say: the faults other tests rely on are really on the wire.</summary>
public sealed class ScriptableGorgiasTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private ScriptableGorgias _gorgias = null!;

    public async Task InitializeAsync() => _gorgias = await ScriptableGorgias.StartAsync();

    public async Task DisposeAsync() => await _gorgias.DisposeAsync();

    [Fact]
    public async Task BodyFirst_WithHold_SendsTheBodyAndThenHoldsTheRest()
    {
        _gorgias.On("GET", "/api/x", ScriptedAnswer.Json(200, """{"access_token":""") with { BodyFirst = true, Hold = true });

        using var response = await Http.GetAsync(Url("/api/x"), HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var start = new byte["{\"access_token\":".Length];
        await body.ReadExactlyAsync(start).AsTask().WaitAsync(TimeSpan.FromSeconds(10)); // a guard against a hung run, not a timing assertion

        Assert.Equal("{\"access_token\":"u8.ToArray(), start);
        var rest = body.ReadAsync(new byte[1]).AsTask();
        Assert.False(rest.IsCompleted);
        _gorgias.ReleaseHeld();
        Assert.Equal(0, await rest);
    }

    [Fact]
    public async Task Padding_StreamsThatManySpacesAfterTheBody()
    {
        _gorgias.On("GET", "/api/x", ScriptedAnswer.Json(200, "{") with { Padding = 200_000 });

        var body = await Http.GetStringAsync(Url("/api/x"));

        Assert.Equal(200_001, body.Length);
        Assert.Equal("{" + new string(' ', 200_000), body);
    }

    [Fact]
    public async Task Otherwise_AnswersEveryUnscriptedRoute_TheTokenEndpointIncluded_ButNotAScriptedOne()
    {
        _gorgias.Otherwise(ScriptedAnswer.Text(503, "<html>maintenance</html>")).On("GET", "/api/account", ScriptedAnswer.Account("acme"));

        using var token = await Http.PostAsync(Url("/oauth/token"), new FormUrlEncodedContent([]));
        using var account = await Http.GetAsync(Url("/api/account"));

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "text/html"), (token.StatusCode, token.Content.Headers.ContentType?.MediaType));
        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
    }

    [Fact]
    public async Task UnscriptedAuthorize_ApprovesAtOnce_RedirectingWithTheCodeAndTheState()
    {
        using var response = await Http.GetAsync(Url("/oauth/authorize?redirect_uri=https%3A%2F%2Fapp.test%2Fcb%3Fa%3D1&state=s%2F1"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"https://app.test/cb?a=1&code={ScriptableGorgias.AuthorizationCode}&state=s%2F1", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Requests_AreNumberedPerRoute_AndTheirFormIsRead()
    {
        _gorgias.On("POST", "/oauth/revoke", request => ScriptedAnswer.Empty(request.Number == 1 ? 503 : 200));

        using var first = await Http.PostAsync(Url("/oauth/revoke"), new FormUrlEncodedContent([new("token", "rt-1")]));
        using var api = await Http.GetAsync(Url("/api/account"));
        using var second = await Http.PostAsync(Url("/oauth/revoke"), new FormUrlEncodedContent([new("token", "rt-2")]));

        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal(["rt-1", "rt-2"], _gorgias.RequestsTo("POST", "/oauth/revoke").Select(r => r.Form["token"]));
        Assert.Equal([1, 1, 2], _gorgias.Requests.Select(r => r.Number));
    }

    private Uri Url(string pathAndQuery) => new(_gorgias.BaseUrlTemplate.Replace("{account}", "acme", StringComparison.Ordinal) + pathAndQuery);
}

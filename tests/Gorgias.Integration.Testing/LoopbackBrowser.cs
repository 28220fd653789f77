using System.Net;
namespace Gorgias.Integration.Testing;

/// <summary>
/// A minimal browser over real sockets: it keeps the Host's binding cookie itself, since .NET's cookie container
/// (rightly) never sends a Secure cookie over plain http, while browsers treat 127.0.0.1 as a secure origin.
/// </summary>
public sealed class LoopbackBrowser(HttpClient http) : IDisposable
{
    private string? _cookie;

    /// <summary>A client over real sockets that neither follows redirects nor keeps cookies, with 64 connections per server.</summary>
    public static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>GET /oauth/install; returns the authorize URL or null when the Host did not redirect.</summary>
    public async Task<Uri?> StartAsync(Uri host, string account)
    {
        using var response = await SendAsync(HttpMethod.Get, new Uri(host, $"/oauth/install?account={account}"));
        return response.StatusCode == HttpStatusCode.Redirect ? response.Headers.Location : null;
    }

    /// <summary>The whole install; returns the callback's status code.</summary>
    public async Task<HttpStatusCode> InstallAsync(Uri host, string account)
    {
        var authorize = await StartAsync(host, account) ?? throw new HttpRequestException("install did not redirect");
        var page = await http.GetStringAsync(authorize);
        var fields = ConsentForm.Read(page);
        fields["decision"] = "allow";
        using var decision = await http.PostAsync(new Uri(authorize, "authorize/decision"), new FormUrlEncodedContent(fields));
        using var callback = await SendAsync(HttpMethod.Get, decision.Headers.Location!);
        return callback.StatusCode;
    }

    /// <summary>Nothing to release: the client belongs to the caller.</summary>
    public void Dispose()
    {
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (_cookie is not null)
        {
            request.Headers.Add("Cookie", _cookie);
        }

        var response = await http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            _cookie = cookies.First().Split(';')[0];
        }

        return response;
    }
}

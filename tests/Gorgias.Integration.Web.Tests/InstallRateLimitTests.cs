using System.Net;
using Gorgias.Integration.Web.Tests.Support;

namespace Gorgias.Integration.Web.Tests;

/// <summary>
/// SECURITY.md row 44: <c>/oauth/install</c> is limited per client address, so one client cannot fill the global
/// pending-install cap; forwarded addresses count only from a configured proxy. A window of an hour keeps every
/// request of a test inside one window.
/// </summary>
public sealed class InstallRateLimitTests : IDisposable
{
    private const int PermitLimit = 3;

    private readonly IntegrationHost _host = new(new Dictionary<string, string?>
    {
        ["Integration:InstallRateLimit:PermitLimit"] = PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Integration:InstallRateLimit:Window"] = "01:00:00",
        ["Integration:InstallRateLimit:KnownProxies:0"] = "10.0.0.9",
    });

    [Fact]
    public async Task Row44_AFloodFromOneAddress_Gets429WithRetryAfter_WhileAnotherAddressStillInstalls()
    {
        using var client = _host.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });

        var flood = await SendAsync(client, 10, _ => TestPeerAddress.Get("/oauth/install?account=acme", "203.0.113.7"));
        using var other = await client.SendAsync(TestPeerAddress.Get("/oauth/install?account=globex", "198.51.100.4"));

        Assert.Equal(PermitLimit, flood.Count(r => r.StatusCode == HttpStatusCode.Redirect));
        Assert.Equal(10 - PermitLimit, flood.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        var refused = flood[PermitLimit];
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("data-code=\"too_many_requests\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        Dispose(flood);
    }

    [Fact]
    public async Task Row44_ThroughAKnownProxy_EachForwardedClientHasItsOwnLimit()
    {
        using var client = _host.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });

        var flood = await SendAsync(client, PermitLimit + 1, _ => TestPeerAddress.Get("/oauth/install?account=acme", "10.0.0.9", "203.0.113.7"));
        using var other = await client.SendAsync(TestPeerAddress.Get("/oauth/install?account=globex", "10.0.0.9", "198.51.100.4"));

        Assert.Equal(HttpStatusCode.TooManyRequests, flood[^1].StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        Dispose(flood);
    }

    [Fact]
    public async Task Row44_XForwardedForFromAnUnknownPeer_IsIgnored()
    {
        using var client = _host.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });

        // A client that names a new forwarded address on every request still shares its own address's limit.
        var flood = await SendAsync(client, PermitLimit + 1, i => TestPeerAddress.Get("/oauth/install?account=acme", "203.0.113.7", $"198.51.100.{i + 1}"));

        Assert.Equal(PermitLimit, flood.Count(r => r.StatusCode == HttpStatusCode.Redirect));
        Assert.Equal(HttpStatusCode.TooManyRequests, flood[^1].StatusCode);
        Dispose(flood);
    }

    [Fact]
    public async Task Row44_Ipv6ClientsOfOneSlash64_ShareALimit()
    {
        using var client = _host.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });

        var flood = await SendAsync(client, PermitLimit + 1, i => TestPeerAddress.Get("/oauth/install?account=acme", $"2001:db8:1:2::{i + 1:x}"));
        using var otherNetwork = await client.SendAsync(TestPeerAddress.Get("/oauth/install?account=acme", "2001:db8:1:3::1"));

        Assert.Equal(HttpStatusCode.TooManyRequests, flood[^1].StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, otherNetwork.StatusCode);
        Dispose(flood);
    }

    public void Dispose() => _host.Dispose();

    // One after the other, so which request exceeded the limit is known.
    private static async Task<List<HttpResponseMessage>> SendAsync(HttpClient client, int count, Func<int, HttpRequestMessage> request)
    {
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < count; i++)
        {
            using var message = request(i);
            responses.Add(await client.SendAsync(message));
        }

        return responses;
    }

    private static void Dispose(List<HttpResponseMessage> responses) => responses.ForEach(r => r.Dispose());
}

using System.Net;
using System.Text.RegularExpressions;

namespace Gorgias.Integration.Web.Tests.Support;

/// <summary>The operator's page as a browser uses it: a cookie jar, the sign-in form, and forms that post the page's anti-forgery token.</summary>
public sealed partial class AdminPageBrowser(IntegrationHost host) : IDisposable
{
    public HttpClient Client { get; } = host.CreateNonRedirectingBrowser();

    /// <summary>Posts the sign-in form from <paramref name="peer"/> (a client address) and returns the answer.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string key, string? peer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/admin/sign-in", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new("key", key)]),
        };
        if (peer is not null)
        {
            request.Headers.Add(TestPeerAddress.Header, peer);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>Signs in with the right key and asserts the redirect to the page.</summary>
    public async Task SignInAsync()
    {
        using var response = await SignInAsync(IntegrationHost.AdminKey);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/admin", response.Headers.Location?.OriginalString);
    }

    /// <summary>GETs a page, asserting 200, and returns its HTML.</summary>
    public async Task<string> PageAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {html}");
        return html;
    }

    /// <summary>Posts a form to <paramref name="path"/> with the given anti-forgery token (none when null) and fields.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, string? csrf, params (string Name, string Value)[] fields)
    {
        var values = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).ToList();
        if (csrf is not null)
        {
            values.Add(new("csrf", csrf));
        }

        return Client.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(values));
    }

    /// <summary>The anti-forgery token the page's forms carry.</summary>
    public static string CsrfOf(string html) => CsrfField().Match(html) is { Success: true } match
        ? match.Groups[1].Value
        : throw new Xunit.Sdk.XunitException("The page has no anti-forgery field:\n" + html);

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}

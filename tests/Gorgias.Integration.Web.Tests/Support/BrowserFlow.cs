using System.Net;
using Gorgias.Integration.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace Gorgias.Integration.Web.Tests.Support;

/// <summary>The steps of an install as a browser takes them, each returning what the next step needs.</summary>
public static class BrowserFlow
{
    /// <summary>GET /oauth/install; asserts the 302 and returns the authorize URL.</summary>
    public static async Task<Uri> StartAsync(HttpClient browser, string account)
    {
        using var response = await browser.GetAsync(new Uri($"/oauth/install?account={Uri.EscapeDataString(account)}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>Opens the consent page at <paramref name="authorizeUri"/> and clicks Allow or Deny; returns the callback URL Gorgias redirects to.</summary>
    public static async Task<Uri> DecideAsync(HttpClient gorgiasBrowser, Uri authorizeUri, bool allow)
    {
        var page = await gorgiasBrowser.GetStringAsync(authorizeUri);
        var (action, fields) = ConsentForm.Read(page, authorizeUri, allow ? "allow" : "deny");
        using var response = await gorgiasBrowser.PostAsync(action, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>Install → consent → callback in one browser; returns the callback's response.</summary>
    public static async Task<HttpResponseMessage> InstallAsync(HttpClient browser, string account, bool allow = true)
    {
        var authorize = await StartAsync(browser, account);
        var callback = await DecideAsync(browser, authorize, allow);
        return await browser.GetAsync(callback);
    }

    /// <summary>Follows the authorize URL of a stand-in that approves at once; returns the callback URL.</summary>
    public static async Task<Uri> AutoApproveAsync(HttpClient browser, Uri authorizeUri)
    {
        using var response = await browser.GetAsync(authorizeUri);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>Install → immediate approval → callback; returns the callback's response.</summary>
    public static async Task<HttpResponseMessage> InstallAutoApprovedAsync(HttpClient browser, string account)
    {
        var authorize = await StartAsync(browser, account);
        return await browser.GetAsync(await AutoApproveAsync(browser, authorize));
    }

    /// <summary>One query parameter of <paramref name="uri"/>.</summary>
    public static string? Query(Uri uri, string name) =>
        QueryHelpers.ParseQuery(uri.Query).TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary><paramref name="uri"/> with one query parameter replaced.</summary>
    public static Uri WithQuery(Uri uri, string name, string? value)
    {
        var query = QueryHelpers.ParseQuery(uri.Query).ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
        if (value is null)
        {
            query.Remove(name);
        }
        else
        {
            query[name] = value;
        }

        return new Uri(QueryHelpers.AddQueryString(uri.GetLeftPart(UriPartial.Path), query));
    }
}

using System.Net;
using Gorgias.Integration.Web.Tests.Support;

namespace Gorgias.Integration.Web.Tests;

/// <summary>
/// The Host writes problem details for error answers without a body on every route but <c>/oauth</c>, whose install
/// routes answer every error with their own page and skip the middleware's per-request cost.
/// </summary>
public sealed class StatusCodePagesTests : IDisposable
{
    private readonly IntegrationHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task AnErrorWithoutABody_OutsideTheInstallRoutes_IsProblemDetails()
    {
        using var client = _host.CreateAdmin();

        using var unknown = await client.GetAsync(new Uri("/no-such-route", UriKind.Relative));
        using var wrongMethod = await client.PutAsync(new Uri("/installations", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":404", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("application/problem+json", wrongMethod.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TheInstallRoutes_AnswerTheirErrorsWithTheirOwnPage()
    {
        using var browser = _host.CreateNonRedirectingBrowser();

        using var badAccount = await browser.GetAsync(new Uri("/oauth/install?account=acme.evil.com", UriKind.Relative));
        using var unknownState = await browser.GetAsync(new Uri("/oauth/callback?account=acme&state=nope&code=x", UriKind.Relative));

        foreach (var page in new[] { badAccount, unknownState })
        {
            Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.NotEmpty(await page.Content.ReadAsStringAsync());
        }
    }
}

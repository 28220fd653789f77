namespace Gorgias.Integration.Web.Tests.Support;

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

using Gorgias.Integration.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Testing;

/// <summary>The real sandbox on its own Kestrel socket at 127.0.0.1 on a free port, for tests that talk to it over loopback.</summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SandboxServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>http://127.0.0.1:{port}/ (with the trailing slash).</summary>
    public Uri Address { get; }

    /// <summary>http://127.0.0.1:{port} (without a trailing slash).</summary>
    public string Origin => Address.GetLeftPart(UriPartial.Authority);

    /// <summary>The Gorgias base URL template that points an integration at this sandbox.</summary>
    public string BaseUrlTemplate => $"{Address}sandbox/{{account}}";

    /// <summary>The sandbox's services (its data, for tests that read what an app created there).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>What the sandbox has seen (token requests, revocations, ...).</summary>
    public SandboxMonitor Monitor => _app.Services.GetRequiredService<SandboxMonitor>();

    /// <summary>Starts the sandbox for one registered app.</summary>
    /// <param name="clientId">The app's client id.</param>
    /// <param name="clientSecret">The app's client secret.</param>
    /// <param name="time">The clock the sandbox uses (token lifetimes); the system clock when null.</param>
    /// <param name="configure">Changes to the sandbox options after the credentials are set.</param>
    public static async Task<SandboxServer> StartAsync(
        string clientId, string clientSecret, TimeProvider? time = null, Action<SandboxOptions>? configure = null)
    {
        var (app, address) = await LoopbackApp.StartAsync(
            app => app.MapGorgiasSandbox(),
            services =>
            {
                if (time is not null)
                {
                    services.AddSingleton(time);
                }

                services.AddGorgiasSandbox(options =>
                {
                    options.ClientId = clientId;
                    options.ClientSecret = clientSecret;
                    configure?.Invoke(options);
                });
            });
        return new SandboxServer(app, address);
    }

    /// <summary>A client that behaves like a browser that does not follow redirects, so tests can read Location.</summary>
    public HttpClient CreateClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Address };

    /// <summary>Stops the sandbox (waiting at most 2 s for requests in flight) and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

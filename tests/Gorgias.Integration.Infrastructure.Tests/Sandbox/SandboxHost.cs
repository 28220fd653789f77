using Gorgias.Integration.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Infrastructure.Tests.Sandbox;

/// <summary>The real sandbox on Kestrel at 127.0.0.1 on a free port.</summary>
public sealed class SandboxHost : IAsyncDisposable
{
    public const string ClientId = "sandbox-test-client";
    public const string ClientSecret = "sandbox-test-secret";

    private readonly WebApplication _app;

    private SandboxHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri Address { get; }

    public string BaseUrlTemplate => $"{Address}sandbox/{{account}}";

    public SandboxMonitor Monitor => _app.Services.GetRequiredService<SandboxMonitor>();

    public static async Task<SandboxHost> StartAsync(Action<SandboxOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        builder.Services.AddGorgiasSandbox(options =>
        {
            options.ClientId = ClientId;
            options.ClientSecret = ClientSecret;
            configure?.Invoke(options);
        });
        var app = builder.Build();
        app.MapGorgiasSandbox();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new SandboxHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>A client that behaves like a browser that does not follow redirects, so tests can read Location.</summary>
    public HttpClient CreateClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Address };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One sandbox shared by a test class, with the default options.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private SandboxHost? _host;

    public SandboxHost Host => _host ?? throw new InvalidOperationException("The sandbox has not started.");

    public async Task InitializeAsync() => _host = await SandboxHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

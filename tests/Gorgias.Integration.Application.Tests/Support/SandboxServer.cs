using Gorgias.Integration.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Application.Tests.Support;

/// <summary>The real sandbox on a Kestrel socket at 127.0.0.1, sharing the test's clock.</summary>
public sealed class SandboxServer : IAsyncDisposable
{
    public const string ClientId = "app-test-client";
    public const string ClientSecret = "app-test-secret-not-real";

    private readonly WebApplication _app;

    private SandboxServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri Address { get; }

    public string BaseUrlTemplate => $"{Address}sandbox/{{account}}";

    public SandboxMonitor Monitor => _app.Services.GetRequiredService<SandboxMonitor>();

    public static async Task<SandboxServer> StartAsync(TimeProvider time, Action<SandboxOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddSingleton(time);
        builder.Services.AddGorgiasSandbox(o =>
        {
            o.ClientId = ClientId;
            o.ClientSecret = ClientSecret;
            configure?.Invoke(o);
        });
        var app = builder.Build();
        app.MapGorgiasSandbox();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new SandboxServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

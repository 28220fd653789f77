using Gorgias.Integration.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Web.Tests.Support;

/// <summary>The real sandbox on its own Kestrel socket at 127.0.0.1, outliving any Host it serves.</summary>
public sealed class KestrelSandbox : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelSandbox(WebApplication app, string origin)
    {
        _app = app;
        Origin = origin;
    }

    /// <summary>http://127.0.0.1:port</summary>
    public string Origin { get; }

    public string BaseUrlTemplate => $"{Origin}/sandbox/{{account}}";

    public SandboxMonitor Monitor => _app.Services.GetRequiredService<SandboxMonitor>();

    public static async Task<KestrelSandbox> StartAsync(string clientId, string clientSecret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddGorgiasSandbox(o =>
        {
            o.ClientId = clientId;
            o.ClientSecret = clientSecret;
        });
        var app = builder.Build();
        app.MapGorgiasSandbox("/sandbox");
        await app.StartAsync();
        var origin = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return new KestrelSandbox(app, origin);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Testing;

/// <summary>Starts a slim ASP.NET Core app on its own Kestrel socket at 127.0.0.1 on a free port, without logging.</summary>
public static class LoopbackApp
{
    /// <summary>
    /// Builds the app, lets <paramref name="map"/> add its endpoints, starts it and reads the port Kestrel bound.
    /// Stopping it waits at most 2 s for requests in flight; the caller stops and disposes the app.
    /// </summary>
    /// <param name="map">Adds the endpoints (or a terminal handler) to the built app.</param>
    /// <param name="services">Adds services before the app is built; nothing when null.</param>
    /// <returns>The started app and its address, http://127.0.0.1:{port}/ (with the trailing slash).</returns>
    public static Task<(WebApplication App, Uri Address)> StartAsync(
        Action<WebApplication> map, Action<IServiceCollection>? services = null) =>
        StartAsync(WebApplication.CreateSlimBuilder(), builder => services?.Invoke(builder.Services), map);

    /// <summary>
    /// As above, with the whole builder to configure (its configuration, an entry point such as
    /// <c>AddGorgiasIntegration</c>) before the app is built.
    /// </summary>
    /// <param name="configure">Configures the builder; its environment is <c>Testing</c>.</param>
    /// <param name="map">Adds the endpoints to the built app.</param>
    /// <returns>The started app and its address, http://127.0.0.1:{port}/ (with the trailing slash).</returns>
    public static Task<(WebApplication App, Uri Address)> StartWithBuilderAsync(Action<WebApplicationBuilder> configure, Action<WebApplication> map) =>
        StartAsync(WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" }), configure, map);

    private static async Task<(WebApplication App, Uri Address)> StartAsync(
        WebApplicationBuilder builder, Action<WebApplicationBuilder> configure, Action<WebApplication> map)
    {
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(map);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));
        configure(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return (app, new Uri(address.TrimEnd('/') + "/"));
    }
}

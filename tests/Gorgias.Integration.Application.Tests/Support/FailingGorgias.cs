using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Application.Tests.Support;

/// <summary>
/// A Gorgias that cannot revoke, on Kestrel at 127.0.0.1: <c>/oauth/revoke</c> answers 503, or, with
/// <see cref="Hang"/>, waits until the stand-in is disposed (so a caller's timeout fires first). It records each request.
/// </summary>
public sealed class FailingGorgias : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FailingGorgias(WebApplication app, bool hang)
    {
        _app = app;
        Hang = hang;
    }

    public bool Hang { get; }

    public Uri Address { get; private set; } = null!;

    public string BaseUrlTemplate => $"{Address}gorgias/{{account}}";

    public ConcurrentQueue<(string Path, string Authorization, IReadOnlyDictionary<string, string> Form)> Received { get; } = new();

    public static async Task<FailingGorgias> StartAsync(bool hang = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var gorgias = new FailingGorgias(app, hang);
        app.Run(async context =>
        {
            var form = context.Request.HasFormContentType
                ? (await context.Request.ReadFormAsync(context.RequestAborted)).ToDictionary(f => f.Key, f => f.Value.ToString())
                : [];
            gorgias.Received.Enqueue((context.Request.Path, context.Request.Headers.Authorization.ToString(), form));
            if (gorgias.Hang)
            {
                await gorgias._release.Task.WaitAsync(context.RequestAborted);
            }

            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html>maintenance</html>", context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        gorgias.Address = new Uri(address.TrimEnd('/') + "/");
        return gorgias;
    }

    public async ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System.Collections.Concurrent;
using Gorgias.Integration.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gorgias.Integration.Application.Tests.Support;

/// <summary>
/// A Gorgias that cannot revoke, on Kestrel at 127.0.0.1: <c>/oauth/revoke</c> answers 503, or, with
/// <see cref="Hang"/>, waits until the stand-in is disposed (so a caller's timeout fires first). It records each request.
/// </summary>
public sealed class FailingGorgias : IAsyncDisposable
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication _app = null!;

    private FailingGorgias(bool hang) => Hang = hang;

    public bool Hang { get; }

    public Uri Address { get; private set; } = null!;

    public string BaseUrlTemplate => $"{Address}gorgias/{{account}}";

    public ConcurrentQueue<(string Path, string Authorization, IReadOnlyDictionary<string, string> Form)> Received { get; } = new();

    public static async Task<FailingGorgias> StartAsync(bool hang = false)
    {
        var gorgias = new FailingGorgias(hang);
        (gorgias._app, gorgias.Address) = await LoopbackApp.StartAsync(app => app.Run(async context =>
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
        }));
        return gorgias;
    }

    public async ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System.Collections.Concurrent;
using Gorgias.Integration.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gorgias.Integration.Infrastructure.Tests.Gorgias;

/// <summary>
/// A misbehaving Gorgias on Kestrel at 127.0.0.1: each test sets <see cref="Handler"/>. It records every request
/// (path, Authorization header, body) before the handler runs.
/// </summary>
public sealed class StandIn : IAsyncDisposable
{
    private WebApplication _app = null!;
    private int _requests;

    private StandIn()
    {
    }

    public Func<HttpContext, Task> Handler { get; set; } = static context =>
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    };

    public Uri Address { get; private set; } = null!;

    /// <summary>Requests go to /gorgias/{account}/oauth/...</summary>
    public string BaseUrlTemplate => $"{Address}gorgias/{{account}}";

    public int Requests => Volatile.Read(ref _requests);

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    public static async Task<StandIn> StartAsync()
    {
        var standIn = new StandIn();
        (standIn._app, standIn.Address) = await LoopbackApp.StartAsync(app => app.Run(async context =>
        {
            Interlocked.Increment(ref standIn._requests);
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            standIn.Received.Enqueue(new ReceivedRequest(context.Request.Path, context.Request.Headers.Authorization.ToString(), body));
            await standIn.Handler(context);
        }));
        return standIn;
    }

    /// <summary>Answers every request with <paramref name="status"/> and <paramref name="body"/>.</summary>
    public void Respond(int status, string body, string contentType = "application/json", Action<HttpResponse>? headers = null) =>
        Handler = async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            headers?.Invoke(context.Response);
            await context.Response.WriteAsync(body, context.RequestAborted);
        };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedRequest(string Path, string Authorization, string Body);

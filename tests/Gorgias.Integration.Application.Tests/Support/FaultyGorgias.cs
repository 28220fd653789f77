using System.Collections.Concurrent;
using Gorgias.Integration.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gorgias.Integration.Application.Tests.Support;

/// <summary>The ways a Gorgias endpoint can misbehave.</summary>
public enum Fault
{
    /// <summary>Answers nothing until the test ends (past the client's timeout).</summary>
    Slow,

    /// <summary>Drops the connection without an answer.</summary>
    Dropped,

    /// <summary>500.</summary>
    ServerError,

    /// <summary>503 with Retry-After: 7.</summary>
    Unavailable,

    /// <summary>429 with Retry-After: 3.</summary>
    RateLimited,

    /// <summary>200 with an HTML page instead of JSON.</summary>
    Html,

    /// <summary>200 with a JSON body of 30 MB.</summary>
    Huge,
}

/// <summary>A Gorgias stand-in on Kestrel at 127.0.0.1 whose every endpoint misbehaves in one chosen way.</summary>
public sealed class FaultyGorgias : IAsyncDisposable
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WebApplication _app = null!;

    private FaultyGorgias()
    {
    }

    public Uri Address { get; private set; } = null!;

    public string BaseUrlTemplate => $"{Address}faulty/{{account}}";

    public ConcurrentQueue<string> Paths { get; } = new();

    /// <summary>Completes when the first request has arrived.</summary>
    public Task FirstRequest => _firstRequest.Task;

    public static async Task<FaultyGorgias> StartAsync(Fault fault)
    {
        var gorgias = new FaultyGorgias();
        (gorgias._app, gorgias.Address) = await LoopbackApp.StartAsync(app => app.Run(context => gorgias.AnswerAsync(context, fault)));
        return gorgias;
    }

    public async ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context, Fault fault)
    {
        Paths.Enqueue(context.Request.Path);
        _firstRequest.TrySetResult();
        var response = context.Response;
        switch (fault)
        {
            case Fault.Slow:
                await _release.Task.WaitAsync(context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            case Fault.Dropped:
                context.Abort();
                return;
            case Fault.ServerError:
                response.StatusCode = StatusCodes.Status500InternalServerError;
                return;
            case Fault.Unavailable:
                response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                response.Headers.RetryAfter = "7";
                return;
            case Fault.RateLimited:
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = "3";
                return;
            case Fault.Html:
                response.ContentType = "text/html";
                await response.WriteAsync("<html><body>Gorgias is under maintenance</body></html>");
                return;
            case Fault.Huge:
                response.ContentType = "application/json";
                var chunk = new byte[64 * 1024];
                Array.Fill(chunk, (byte)' ');
                try
                {
                    await response.Body.WriteAsync("{\"access_token\":\""u8.ToArray());
                    for (var written = 0; written < 30 * 1024 * 1024; written += chunk.Length)
                    {
                        await response.Body.WriteAsync(chunk, context.RequestAborted);
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or IOException)
                {
                    // The client stopped reading, as it should.
                }

                return;
        }
    }
}

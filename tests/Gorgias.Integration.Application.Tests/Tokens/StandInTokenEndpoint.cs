using Gorgias.Integration.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gorgias.Integration.Application.Tests.Tokens;

/// <summary>
/// A Gorgias token endpoint on 127.0.0.1 that fails the way the sandbox cannot: 503 or 429 with Retry-After, or no answer
/// until <see cref="ReleaseHangs"/>.
/// </summary>
public sealed class StandInTokenEndpoint : IAsyncDisposable
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication _app = null!;
    private int _requests;

    private StandInTokenEndpoint()
    {
    }

    public enum Behaviour
    {
        Unavailable503,
        RateLimited429,
        Hang,
    }

    public string BaseUrlTemplate { get; private set; } = "";

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<StandInTokenEndpoint> StartAsync(Behaviour behaviour)
    {
        var standIn = new StandInTokenEndpoint();
        (standIn._app, var address) = await LoopbackApp.StartAsync(app => app.MapPost("/standin/{account}/oauth/token", async (HttpContext context) =>
        {
            Interlocked.Increment(ref standIn._requests);
            switch (behaviour)
            {
                case Behaviour.Unavailable503:
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    context.Response.Headers.RetryAfter = "7";
                    break;
                case Behaviour.RateLimited429:
                    context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                    context.Response.Headers.RetryAfter = "7";
                    break;
                default:
                    await standIn._release.Task;
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    break;
            }
        }));
        standIn.BaseUrlTemplate = $"{address}standin/{{account}}";
        return standIn;
    }

    public void ReleaseHangs() => _release.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        ReleaseHangs();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

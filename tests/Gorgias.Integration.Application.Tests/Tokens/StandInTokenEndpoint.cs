using System.Collections.Concurrent;
using Gorgias.Integration.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gorgias.Integration.Application.Tests.Tokens;

/// <summary>
/// A Gorgias token endpoint on 127.0.0.1 that fails the way the sandbox cannot: 503 or 429 with Retry-After, 503 without,
/// no answer until <see cref="ReleaseHangs"/>, or, scripted, whatever a test decides per account.
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
        Unavailable503WithoutRetryAfter,
    }

    public string BaseUrlTemplate { get; private set; } = "";

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The account of every request, in order of arrival.</summary>
    public ConcurrentQueue<string> Accounts { get; } = new();

    public static Task<StandInTokenEndpoint> StartAsync(Behaviour behaviour) =>
        StartAsync(standIn => (context, _) => standIn.FailAsync(context, behaviour));

    /// <summary>Answers each token request with <paramref name="answer"/> (given the context and the account).</summary>
    public static Task<StandInTokenEndpoint> StartAsync(Func<HttpContext, string, Task> answer) => StartAsync(_ => answer);

    /// <summary>A token answer as Gorgias sends on refresh: a new access token, no refresh token.</summary>
    public static Task GrantAsync(HttpContext context, string accessToken, int expiresIn) =>
        context.Response.WriteAsJsonAsync(new Dictionary<string, object>
        {
            ["access_token"] = accessToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = expiresIn,
        });

    /// <summary>What a deactivated account answers: an HTML 404 page.</summary>
    public static Task NotFoundPageAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/html";
        return context.Response.WriteAsync("<html><body>This helpdesk does not exist</body></html>");
    }

    public void ReleaseHangs() => _release.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        ReleaseHangs();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<StandInTokenEndpoint> StartAsync(Func<StandInTokenEndpoint, Func<HttpContext, string, Task>> script)
    {
        var standIn = new StandInTokenEndpoint();
        var answer = script(standIn);
        (standIn._app, var address) = await LoopbackApp.StartAsync(app => app.MapPost("/standin/{account}/oauth/token", async (HttpContext context, string account) =>
        {
            Interlocked.Increment(ref standIn._requests);
            standIn.Accounts.Enqueue(account);
            await answer(context, account);
        }));
        standIn.BaseUrlTemplate = $"{address}standin/{{account}}";
        return standIn;
    }

    private async Task FailAsync(HttpContext context, Behaviour behaviour)
    {
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
            case Behaviour.Unavailable503WithoutRetryAfter:
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                break;
            default:
                await _release.Task;
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                break;
        }
    }
}

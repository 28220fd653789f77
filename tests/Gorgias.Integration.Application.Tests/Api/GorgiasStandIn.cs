using System.Collections.Concurrent;
using Gorgias.Integration.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gorgias.Integration.Application.Tests.Api;

/// <summary>
/// A misbehaving Gorgias on a Kestrel socket at 127.0.0.1: <c>/{account}/api/*</c> answers as the test says (the
/// 1-based number of the API request is passed along), <c>/{account}/oauth/token</c> grants a fresh access token.
/// It records who asked with which bearer token, and lets a test wait for the n-th API request.
/// </summary>
public sealed class GorgiasStandIn : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Account, string? Authorization)> _apiRequests = new();
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private WebApplication _app = null!;
    private int _apiRequestCount;
    private int _tokenRequests;

    private GorgiasStandIn()
    {
    }

    /// <summary>http://127.0.0.1:port/{account}</summary>
    public string BaseUrlTemplate { get; private set; } = "";

    /// <summary>Released when the test ends: a "hanging" answer waits for it.</summary>
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int ApiRequests => Volatile.Read(ref _apiRequestCount);

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    public IReadOnlyList<(string Account, string? Authorization)> ApiRequestLog => [.. _apiRequests];

    public int ApiRequestsFor(string account) => _apiRequests.Count(r => r.Account == account);

    public static async Task<GorgiasStandIn> StartAsync(Func<HttpContext, int, Task> answerApi)
    {
        var standIn = new GorgiasStandIn();
        (standIn._app, var address) = await LoopbackApp.StartAsync(app => app.Run(context => standIn.AnswerAsync(context, answerApi)));
        standIn.BaseUrlTemplate = address + "{account}";
        return standIn;
    }

    /// <summary>Completes once <paramref name="count"/> API requests have arrived.</summary>
    public Task WaitForApiRequestsAsync(int count)
    {
        lock (_lock)
        {
            if (_apiRequestCount >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));

            // A guard against a hung test run, not a timing assertion.
            return signal.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Writes Gorgias's example account for <paramref name="account"/>.</summary>
    public static Task WriteAccountAsync(HttpContext context, string account)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(
            $$$"""{"created_datetime":"2017-11-23T15:59:41.966927","deactivated_datetime":null,"domain":"{{{account}}}","settings":[{"type":"business-hours","data":{}}],"status":{"status":"active"},"unknown":1}""");
    }

    /// <summary>Waits until the test ends (or the client gives up).</summary>
    public async Task HangAsync(HttpContext context)
    {
        try
        {
            await Release.Task.WaitAsync(context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up, as it should.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Release.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context, Func<HttpContext, int, Task> answerApi)
    {
        var segments = context.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var account = segments.FirstOrDefault() ?? "";
        var rest = "/" + string.Join('/', segments.Skip(1));
        if (rest == "/oauth/token")
        {
            var n = Interlocked.Increment(ref _tokenRequests);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(
                $$"""{"access_token":"fresh-{{account}}-{{n}}","expires_in":86400,"scope":"openid offline account:read","token_type":"Bearer"}""");
            return;
        }

        if (!rest.StartsWith("/api/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        _apiRequests.Enqueue((account, context.Request.Headers.Authorization.ToString()));
        int number;
        lock (_lock)
        {
            number = ++_apiRequestCount;
            foreach (var waiter in _waiters.Where(w => w.Count <= number).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Signal.TrySetResult();
            }
        }

        await answerApi(context, number);
    }
}

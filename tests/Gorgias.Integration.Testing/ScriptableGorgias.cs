using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gorgias.Integration.Testing;

/// <summary>
/// One scriptable fake Gorgias on a real Kestrel socket at 127.0.0.1 (<see cref="LoopbackApp"/>), for every account at
/// <c>{address}/{account}/…</c>. A test scripts answers per method and path (after the account): each request takes the
/// next answer of its route, the last one repeats; unscripted routes answer 404. An answer can carry headers, wait
/// (<see cref="ScriptedAnswer.Delay"/>), be held until <see cref="ReleaseHeld"/>, or drop the connection. Every request is
/// recorded (account, method, path and query, bearer header, body) and counted, and a test can wait for the n-th.
/// <c>POST /oauth/token</c> grants <c>fresh-{account}-{n}</c> unless scripted.
/// </summary>
public sealed class ScriptableGorgias : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Route> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private WebApplication _app = null!;
    private int _count;
    private int _tokenGrants;

    private ScriptableGorgias()
    {
    }

    /// <summary><c>http://127.0.0.1:{port}/{account}</c>, for <c>Gorgias:BaseUrlTemplate</c>.</summary>
    public string BaseUrlTemplate { get; private set; } = "";

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Starts the fake on a free port.</summary>
    public static async Task<ScriptableGorgias> StartAsync()
    {
        var fake = new ScriptableGorgias();
        (fake._app, var address) = await LoopbackApp.StartAsync(app => app.Run(fake.AnswerAsync));
        fake.BaseUrlTemplate = address + "{account}";
        return fake;
    }

    /// <summary>Scripts the answers to <paramref name="method"/> <paramref name="path"/> (e.g. <c>/api/tickets</c>), replacing earlier ones.</summary>
    public ScriptableGorgias On(string method, string path, params ScriptedAnswer[] answers)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfZero(answers.Length);
        _routes[Key(method, path)] = new Route(answers);
        return this;
    }

    /// <summary>Requests to <paramref name="method"/> <paramref name="path"/> (query ignored), for any account.</summary>
    public int CountOf(string method, string path) =>
        _requests.Count(r => r.Method == method && r.Path == path);

    /// <summary>Requests to any <c>/api/</c> path.</summary>
    public int ApiRequests => _requests.Count(r => r.Path.StartsWith("/api/", StringComparison.Ordinal));

    /// <summary>Lets every held answer go.</summary>
    public void ReleaseHeld() => _release.TrySetResult();

    /// <summary>Completes once <paramref name="count"/> requests (of any route) have arrived.</summary>
    public Task WaitForRequestsAsync(int count)
    {
        lock (_lock)
        {
            if (_count >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));

            // A guard against a hung test run, not a timing assertion.
            return signal.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Stops the server; held answers are released first.</summary>
    public async ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string Key(string method, string path) => method.ToUpperInvariant() + " " + path;

    private async Task AnswerAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var slash = path.IndexOf('/', 1);
        var account = slash < 0 ? path.Trim('/') : path[1..slash];
        var rest = slash < 0 ? "/" : path[slash..];
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        _requests.Enqueue(new RecordedRequest(account, context.Request.Method, rest, context.Request.QueryString.Value ?? "",
            context.Request.Headers.Authorization.ToString(), body));
        Signal();

        var method = context.Request.Method;
        if (!_routes.TryGetValue(Key(method, rest), out var route))
        {
            if (method == HttpMethods.Post && rest == "/oauth/token")
            {
                var n = Interlocked.Increment(ref _tokenGrants);
                await WriteAsync(context, ScriptedAnswer.Json(200,
                    $$"""{"access_token":"fresh-{{account}}-{{n}}","expires_in":86400,"scope":"openid offline write:all","token_type":"Bearer"}"""));
                return;
            }

            await WriteAsync(context, ScriptedAnswer.Json(404, """{"error":"Not scripted"}"""));
            return;
        }

        var answer = route.Next();
        if (answer.Hold)
        {
            try
            {
                await _release.Task.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (answer.Delay is { } delay)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        if (answer.DropConnection)
        {
            context.Abort();
            return;
        }

        await WriteAsync(context, answer);
    }

    private static async Task WriteAsync(HttpContext context, ScriptedAnswer answer)
    {
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (answer.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body, context.RequestAborted);
        }
    }

    private void Signal()
    {
        lock (_lock)
        {
            _count++;
            foreach (var waiter in _waiters.Where(w => w.Count <= _count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Signal.TrySetResult();
            }
        }
    }

    private sealed class Route(ScriptedAnswer[] answers)
    {
        private int _next = -1;

        public ScriptedAnswer Next() => answers[Math.Min(Interlocked.Increment(ref _next), answers.Length - 1)];
    }
}

/// <summary>One scripted answer of <see cref="ScriptableGorgias"/>.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">A JSON body, or none.</param>
/// <param name="Headers">Response headers, e.g. <c>Retry-After</c> or <c>X-Gorgias-Account-Api-Call-Limit</c>.</param>
/// <param name="Delay">A real wait before answering (for a client timeout to fire); prefer <paramref name="Hold"/>.</param>
/// <param name="Hold">Waits for <see cref="ScriptableGorgias.ReleaseHeld"/> (or the client giving up) before answering.</param>
/// <param name="DropConnection">Aborts the connection instead of answering.</param>
public sealed record ScriptedAnswer(
    int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan? Delay = null, bool Hold = false, bool DropConnection = false)
{
    /// <summary>A JSON answer with optional headers given as name, value pairs.</summary>
    public static ScriptedAnswer Json(int status, string body, params (string Name, string Value)[] headers) =>
        new(status, body, headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase));

    /// <summary>A Gorgias list page of the given raw JSON items and next cursor.</summary>
    public static ScriptedAnswer Page(IEnumerable<string> items, string? nextCursor, params (string Name, string Value)[] headers) =>
        Json(200, "{\"data\":[" + string.Join(',', items) + "],\"object\":\"list\",\"uri\":\"/api/x\",\"meta\":{\"prev_cursor\":null,\"next_cursor\":"
            + (nextCursor is null ? "null" : "\"" + nextCursor + "\"") + "}}", headers);
}

/// <summary>A request <see cref="ScriptableGorgias"/> received.</summary>
/// <param name="Account">The account segment of the path.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path after the account, e.g. <c>/api/tickets</c>.</param>
/// <param name="Query">The query string, with its <c>?</c>, or empty.</param>
/// <param name="Authorization">The Authorization header, or empty.</param>
/// <param name="Body">The request body, or empty.</param>
public sealed record RecordedRequest(string Account, string Method, string Path, string Query, string Authorization, string Body);

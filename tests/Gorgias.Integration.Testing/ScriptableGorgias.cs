using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gorgias.Integration.Testing;

/// <summary>
/// One scriptable fake Gorgias on a real Kestrel socket at 127.0.0.1 (<see cref="LoopbackApp"/>), for every account at
/// <c>{address}/{account}/…</c>. A test scripts answers per method and path (after the account): each request takes the
/// next answer of its route, the last one repeats, or a function picks the answer from the request. An answer can be a
/// fault (status, dropped connection, body cut halfway, oversized or malformed body), wait
/// (<see cref="ScriptedAnswer.Delay"/>) or be held until <see cref="ReleaseHeld"/>. Every request is recorded (account,
/// method, path and query, bearer header, body, number on its route) and counted, and a test can wait for the n-th.
/// Unscripted routes take the <see cref="Otherwise(ScriptedAnswer[])"/> answers, else behave as a willing Gorgias:
/// <c>POST /oauth/token</c> grants <c>fresh-{account}-{n}</c>, <c>GET /oauth/authorize</c> approves at once with
/// <see cref="AuthorizationCode"/>, <c>POST /oauth/revoke</c> answers 200; anything else answers 404.
/// </summary>
public sealed class ScriptableGorgias : IAsyncDisposable
{
    /// <summary>The code the unscripted authorize endpoint approves with.</summary>
    public const string AuthorizationCode = "scripted-authorization-code-5f2c";

    private readonly ConcurrentDictionary<string, Func<RecordedRequest, ScriptedAnswer>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Dictionary<string, int> _perRoute = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private Func<RecordedRequest, ScriptedAnswer>? _otherwise;
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

    /// <summary>Requests to any <c>/api/</c> path.</summary>
    public int ApiRequests => _requests.Count(r => r.Path.StartsWith("/api/", StringComparison.Ordinal));

    /// <summary>Requests to <c>POST /oauth/token</c>, for any account.</summary>
    public int TokenRequests => CountOf("POST", "/oauth/token");

    /// <summary>Starts the fake on a free port.</summary>
    public static async Task<ScriptableGorgias> StartAsync()
    {
        var fake = new ScriptableGorgias();
        (fake._app, var address) = await LoopbackApp.StartAsync(app => app.Run(fake.AnswerAsync));
        fake.BaseUrlTemplate = address + "{account}";
        return fake;
    }

    /// <summary>Scripts the answers to <paramref name="method"/> <paramref name="path"/> (e.g. <c>/api/tickets</c>), replacing earlier ones.</summary>
    public ScriptableGorgias On(string method, string path, params ScriptedAnswer[] answers) => On(method, path, InTurn(answers));

    /// <summary>Answers <paramref name="method"/> <paramref name="path"/> with what <paramref name="answer"/> picks for each request.</summary>
    public ScriptableGorgias On(string method, string path, Func<RecordedRequest, ScriptedAnswer> answer)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(path);
        _routes[Key(method, path)] = answer;
        return this;
    }

    /// <summary>Scripts the answers to every route not scripted with <c>On</c>, the token endpoint included.</summary>
    public ScriptableGorgias Otherwise(params ScriptedAnswer[] answers)
    {
        _otherwise = InTurn(answers);
        return this;
    }

    /// <summary>The requests to <paramref name="method"/> <paramref name="path"/> (query ignored), for any account.</summary>
    public IReadOnlyList<RecordedRequest> RequestsTo(string method, string path) =>
        [.. _requests.Where(r => r.Method == method && r.Path == path)];

    /// <summary>Requests to <paramref name="method"/> <paramref name="path"/> (query ignored), for any account.</summary>
    public int CountOf(string method, string path) =>
        _requests.Count(r => r.Method == method && r.Path == path);

    /// <summary>Requests to any <c>/api/</c> path for <paramref name="account"/>.</summary>
    public int ApiRequestsFor(string account) =>
        _requests.Count(r => r.Account == account && r.Path.StartsWith("/api/", StringComparison.Ordinal));

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

    private static Func<RecordedRequest, ScriptedAnswer> InTurn(ScriptedAnswer[] answers)
    {
        ArgumentOutOfRangeException.ThrowIfZero(answers.Length);
        var next = -1;
        return _ => answers[Math.Min(Interlocked.Increment(ref next), answers.Length - 1)];
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var slash = path.IndexOf('/', 1);
        var account = slash < 0 ? path.Trim('/') : path[1..slash];
        var rest = slash < 0 ? "/" : path[slash..];
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var method = context.Request.Method;
        var request = Record(new RecordedRequest(account, method, rest, context.Request.QueryString.Value ?? "",
            context.Request.Headers.Authorization.ToString(), body));

        var answer = _routes.TryGetValue(Key(method, rest), out var route) ? route(request)
            : _otherwise is { } otherwise ? otherwise(request)
            : WillingAnswer(request);
        await ScriptedWriter.WriteAsync(context, answer, _release.Task);
    }

    private ScriptedAnswer WillingAnswer(RecordedRequest request) => (request.Method, request.Path) switch
    {
        ("POST", "/oauth/token") => ScriptedAnswer.Json(200,
            $$"""{"access_token":"fresh-{{request.Account}}-{{Interlocked.Increment(ref _tokenGrants)}}","expires_in":86400,"scope":"openid offline write:all","token_type":"Bearer"}"""),
        ("GET", "/oauth/authorize") => ScriptedAnswer.Empty(302, ("Location", Approve(request))),
        ("POST", "/oauth/revoke") => ScriptedAnswer.Json(200, "{}"),
        _ => ScriptedAnswer.Json(404, """{"error":"Not scripted"}"""),
    };

    private static string Approve(RecordedRequest request)
    {
        var redirect = request.QueryValue("redirect_uri");
        var separator = redirect.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return $"{redirect}{separator}code={AuthorizationCode}&state={Uri.EscapeDataString(request.QueryValue("state"))}";
    }

    private RecordedRequest Record(RecordedRequest request)
    {
        lock (_lock)
        {
            var key = Key(request.Method, request.Path);
            _perRoute[key] = _perRoute.GetValueOrDefault(key) + 1;
            request = request with { Number = _perRoute[key] };
            _requests.Enqueue(request);
            _count++;
            foreach (var waiter in _waiters.Where(w => w.Count <= _count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Signal.TrySetResult();
            }
        }

        return request;
    }
}

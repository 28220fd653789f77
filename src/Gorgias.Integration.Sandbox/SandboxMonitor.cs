using System.Collections.Concurrent;

namespace Gorgias.Integration.Sandbox;

/// <summary>
/// What the sandbox has been asked, for tests: "exactly one token request", "the revoke carried the hint".
/// It records form values as received, codes and tokens included, so it belongs to tests and local development only.
/// </summary>
public sealed class SandboxMonitor
{
    private readonly ConcurrentDictionary<string, int> _tokenRequests = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, string> _lastTokenRequest = new Dictionary<string, string>();
    private IReadOnlyDictionary<string, string> _lastRevocationRequest = new Dictionary<string, string>();
    private int _revocations;
    private int _apiCalls;

    /// <summary>All requests to <c>/oauth/token</c>, whatever their grant type or outcome.</summary>
    public int TokenRequests => _tokenRequests.Values.Sum();

    /// <summary>Requests to <c>/oauth/revoke</c>, whatever their outcome.</summary>
    public int Revocations => Volatile.Read(ref _revocations);

    /// <summary>Requests to <c>/api/*</c>, whatever their outcome.</summary>
    public int ApiCalls => Volatile.Read(ref _apiCalls);

    /// <summary>The form of the latest token request (empty before the first).</summary>
    public IReadOnlyDictionary<string, string> LastTokenRequest => Volatile.Read(ref _lastTokenRequest);

    /// <summary>The form of the latest revocation request (empty before the first).</summary>
    public IReadOnlyDictionary<string, string> LastRevocationRequest => Volatile.Read(ref _lastRevocationRequest);

    /// <summary>Token requests with <paramref name="grantType"/> (e.g. <c>authorization_code</c>, <c>refresh_token</c>).</summary>
    public int TokenRequestsFor(string grantType) => _tokenRequests.TryGetValue(grantType, out var count) ? count : 0;

    internal void RecordTokenRequest(IReadOnlyDictionary<string, string> form)
    {
        var grantType = form.TryGetValue("grant_type", out var value) ? value : "";
        _tokenRequests.AddOrUpdate(grantType, 1, static (_, count) => count + 1);
        Volatile.Write(ref _lastTokenRequest, form);
    }

    internal void RecordRevocation(IReadOnlyDictionary<string, string> form)
    {
        Interlocked.Increment(ref _revocations);
        Volatile.Write(ref _lastRevocationRequest, form);
    }

    internal void RecordApiCall() => Interlocked.Increment(ref _apiCalls);
}

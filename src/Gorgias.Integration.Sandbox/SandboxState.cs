using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Gorgias.Integration.Sandbox;

/// <summary>
/// Everything the sandbox remembers, in memory and thread-safe: pending authorization codes, refresh tokens,
/// the per-process key that signs its JWTs, and each account's API call bucket.
/// </summary>
internal sealed class SandboxState(Microsoft.Extensions.Options.IOptions<SandboxOptions> options)
{
    /// <summary>How long an authorization code may wait for its exchange.</summary>
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromSeconds(60);

    /// <summary>Gorgias's leaky bucket for OAuth apps: 80 calls (<see cref="SandboxOptions.ApiCallLimit"/>), drained over 20 seconds.</summary>
    public int ApiCallLimit { get; } = options.Value.ApiCallLimit;

    private static readonly TimeSpan ApiCallWindow = TimeSpan.FromSeconds(20);

    private readonly ConcurrentDictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RefreshGrant> _refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CallBucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>The HS256 key of this process: the sandbox verifies only tokens it issued itself.</summary>
    public byte[] SigningKey { get; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>A new unguessable value (256 bits, base64url).</summary>
    public static string NewSecret() => Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>Stores <paramref name="code"/> and returns its value.</summary>
    public string IssueCode(AuthorizationCode code)
    {
        var value = NewSecret();
        _codes[value] = code;
        return value;
    }

    /// <summary>Takes a code out: whatever happens next, it cannot be presented again.</summary>
    public AuthorizationCode? RedeemCode(string value) => _codes.TryRemove(value, out var code) ? code : null;

    /// <summary>Stores a new refresh token for <paramref name="grant"/> and returns its value.</summary>
    public string IssueRefreshToken(RefreshGrant grant)
    {
        var value = NewSecret();
        _refreshTokens[value] = grant;
        return value;
    }

    /// <summary>The grant behind <paramref name="value"/>, revoked or not, or null when unknown.</summary>
    public RefreshGrant? FindAnyRefreshToken(string value) => _refreshTokens.TryGetValue(value, out var grant) ? grant : null;

    /// <summary>The live grant behind <paramref name="value"/>, or null when unknown or revoked.</summary>
    public RefreshGrant? FindRefreshToken(string value) =>
        _refreshTokens.TryGetValue(value, out var grant) && !grant.IsRevoked ? grant : null;

    /// <summary>Revokes <paramref name="value"/> if it is a refresh token of <paramref name="account"/> and <paramref name="clientId"/>.</summary>
    public void RevokeRefreshToken(string value, string account, string clientId)
    {
        if (_refreshTokens.TryGetValue(value, out var grant)
            && string.Equals(grant.Account, account, StringComparison.Ordinal)
            && string.Equals(grant.ClientId, clientId, StringComparison.Ordinal))
        {
            grant.TryRevoke();
        }
    }

    /// <summary>
    /// Counts one API call for <paramref name="account"/> in a leaky bucket; returns the level after the call and,
    /// when the bucket was full, how long to wait instead.
    /// </summary>
    public (int Level, TimeSpan? RetryAfter) CountApiCall(string account, DateTimeOffset now)
    {
        var bucket = _buckets.GetOrAdd(account, static _ => new CallBucket());
        return bucket.Add(now, ApiCallLimit);
    }

    private static string Base64UrlEncode(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    private sealed class CallBucket
    {
        private readonly Lock _lock = new();
        private double _level;
        private DateTimeOffset _updated;

        public (int Level, TimeSpan? RetryAfter) Add(DateTimeOffset now, int limit)
        {
            lock (_lock)
            {
                var drainPerSecond = limit / ApiCallWindow.TotalSeconds;
                if (_updated != default)
                {
                    _level = Math.Max(0, _level - ((now - _updated).TotalSeconds * drainPerSecond));
                }

                _updated = now;
                if (_level + 1 > limit)
                {
                    var wait = TimeSpan.FromSeconds(Math.Ceiling((_level + 1 - limit) / drainPerSecond));
                    return ((int)Math.Ceiling(_level), wait);
                }

                _level += 1;
                return ((int)Math.Ceiling(_level), null);
            }
        }
    }
}

/// <summary>A code issued on consent, with everything its exchange must match.</summary>
internal sealed record AuthorizationCode(
    string Account,
    string ClientId,
    string RedirectUri,
    string Scope,
    string? Nonce,
    string? CodeChallenge,
    string? CodeChallengeMethod,
    DateTimeOffset ExpiresAt);

/// <summary>What a refresh token stands for. Revocation is the only change, and it is one-way.</summary>
internal sealed class RefreshGrant(string account, string clientId, string scope, string subject, RefreshGrant.Chain? chain = null)
{
    private int _revoked;

    /// <summary>Every refresh token rotated from one authorization: a reuse revokes them all (RFC 9700).</summary>
    public Chain Family { get; } = chain ?? new Chain();

    public string Account { get; } = account;

    public string ClientId { get; } = clientId;

    public string Scope { get; } = scope;

    public string Subject { get; } = subject;

    public bool IsRevoked => Volatile.Read(ref _revoked) == 1 || Family.IsRevoked;

    /// <summary>Revokes the token; true only for the caller that revoked it first (so a rotation happens once).</summary>
    public bool TryRevoke() => Interlocked.Exchange(ref _revoked, 1) == 0;

    /// <summary>The rotation chain of one authorization; revoked as a whole, one way.</summary>
    internal sealed class Chain
    {
        private int _revoked;

        public bool IsRevoked => Volatile.Read(ref _revoked) == 1;

        public void Revoke() => Volatile.Write(ref _revoked, 1);
    }
}

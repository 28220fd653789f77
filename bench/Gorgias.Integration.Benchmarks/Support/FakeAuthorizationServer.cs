using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;

namespace Gorgias.Integration.Benchmarks.Support;

/// <summary>
/// Gorgias's token endpoint in process, no HTTP: a code exchange returns one canned grant (a JWT access token with
/// <c>expires_in: 0</c>, as Gorgias answers, so the expiry comes from the JWT); a refresh mints a new JWT valid 24 hours
/// from the given clock, optionally after a delay standing for the network. Counts what it is asked.
/// </summary>
internal sealed class FakeAuthorizationServer : IGorgiasAuthorizationServer
{
    public static readonly IReadOnlyList<string> Scopes = ["openid", "email", "profile", "offline", "account:read"];

    private readonly TimeProvider _time;
    private readonly Task<TokenEndpointResult> _exchange;
    private int _exchanges;
    private int _refreshes;

    public FakeAuthorizationServer(TimeProvider time)
    {
        _time = time;
        var grant = new TokenGrant(Jwt.Mint("acme", time.GetUtcNow() + TimeSpan.FromHours(24)), Jwt.NewRefreshToken(), 0, Scopes, "Bearer");
        _exchange = Task.FromResult(TokenEndpointResult.Success(grant));
    }

    /// <summary>How long a refresh takes (0: answers at once).</summary>
    public TimeSpan RefreshDelay { get; set; }

    public int Exchanges => Volatile.Read(ref _exchanges);

    public int Refreshes => Volatile.Read(ref _refreshes);

    public void ResetCounts()
    {
        Interlocked.Exchange(ref _exchanges, 0);
        Interlocked.Exchange(ref _refreshes, 0);
    }

    public Task<TokenEndpointResult> ExchangeCodeAsync(CodeExchange exchange, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _exchanges);
        return _exchange;
    }

    public async Task<TokenEndpointResult> RefreshAsync(AccountName account, string refreshToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        Interlocked.Increment(ref _refreshes);
        if (RefreshDelay > TimeSpan.Zero)
        {
            await Task.Delay(RefreshDelay, cancellationToken);
        }

        var grant = new TokenGrant(Jwt.Mint(account.Value, _time.GetUtcNow() + TimeSpan.FromHours(24)), null, 0, Scopes, "Bearer");
        return TokenEndpointResult.Success(grant);
    }

    public Task<RevocationResult> RevokeAsync(AccountName account, string refreshToken, CancellationToken cancellationToken) =>
        Task.FromResult(RevocationResult.Success);
}

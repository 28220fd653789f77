using System.Collections.Concurrent;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Tokens;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gorgias.Integration.Application.Tests.Api;

/// <summary>
/// TEST STAND-IN for <see cref="IGorgiasAccessTokenProvider"/> while the real provider is written in another branch;
/// the API tests switch to the real one when it lands. It hands out the tokens of a real install (read from
/// <see cref="ITokenSetRepository"/>) or seeded ones, never refreshes ahead of expiry (so a test can make Gorgias see an
/// expired token), and on <see cref="RefreshAfterRejectionAsync"/> refreshes through the real
/// <see cref="IGorgiasAuthorizationServer"/>, counting every call. It keeps refreshed tokens in memory only.
/// </summary>
public sealed class SandboxTokenProvider(IGorgiasAuthorizationServer authorizationServer, ITokenSetRepository tokenSets) : IGorgiasAccessTokenProvider
{
    private readonly ConcurrentDictionary<string, Tokens> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _rejected = new();
    private int _accessTokenRequests;
    private int _refreshes;

    /// <summary>Calls of <see cref="GetAccessTokenAsync"/>.</summary>
    public int AccessTokenRequests => Volatile.Read(ref _accessTokenRequests);

    /// <summary>Calls of <see cref="RefreshAfterRejectionAsync"/>.</summary>
    public int Refreshes => Volatile.Read(ref _refreshes);

    /// <summary>The tokens passed to <see cref="RefreshAfterRejectionAsync"/>, in order.</summary>
    public IReadOnlyList<string> RejectedTokens => [.. _rejected];

    /// <summary>Replaces the port in <paramref name="services"/> with this stand-in (a singleton, also resolvable as itself).</summary>
    public static void Register(IServiceCollection services)
    {
        services.TryAddSingleton<SandboxTokenProvider>();
        services.RemoveAll<IGorgiasAccessTokenProvider>();
        services.AddSingleton<IGorgiasAccessTokenProvider>(sp => sp.GetRequiredService<SandboxTokenProvider>());
    }

    /// <summary>Takes the tokens a real install stored for <paramref name="account"/>.</summary>
    public async Task LoadAsync(AccountName account)
    {
        var stored = await tokenSets.FindAsync(account, CancellationToken.None)
            ?? throw new InvalidOperationException($"No token set is stored for '{account}': install first.");
        _tokens[account.Value] = new Tokens(stored.AccessToken, stored.RefreshToken, stored.ExpiresAt);
    }

    /// <summary>Uses <paramref name="accessToken"/> and <paramref name="refreshToken"/> for <paramref name="account"/> (stand-in servers).</summary>
    public void Seed(AccountName account, string accessToken, string refreshToken) =>
        _tokens[account.Value] = new Tokens(accessToken, refreshToken, DateTimeOffset.MaxValue);

    /// <summary>The access token currently handed out for <paramref name="account"/>.</summary>
    public string CurrentAccessToken(AccountName account) => _tokens[account.Value].AccessToken;

    public ValueTask<GorgiasAccessToken> GetAccessTokenAsync(AccountName account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        Interlocked.Increment(ref _accessTokenRequests);
        return ValueTask.FromResult(Find(account).ToAccessToken());
    }

    public async ValueTask<GorgiasAccessToken> RefreshAfterRejectionAsync(AccountName account, string rejectedAccessToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        Interlocked.Increment(ref _refreshes);
        _rejected.Enqueue(rejectedAccessToken);
        var current = Find(account);
        if (!string.Equals(current.AccessToken, rejectedAccessToken, StringComparison.Ordinal))
        {
            return current.ToAccessToken();
        }

        var result = await authorizationServer.RefreshAsync(account, current.RefreshToken, cancellationToken);
        if (!result.IsSuccess)
        {
            throw new GorgiasAccessException(result.Error == AuthorizationServerError.InvalidGrant
                ? new Error(ErrorKind.ReauthorizationRequired, "reauthorization_required", $"Install the app again for '{account}'.")
                : new Error(ErrorKind.GorgiasUnavailable, "gorgias_unavailable", "The refresh failed.", result.RetryAfter));
        }

        var grant = result.Grant!;
        var refreshed = new Tokens(grant.AccessToken, grant.RefreshToken ?? current.RefreshToken, DateTimeOffset.MaxValue);
        _tokens[account.Value] = refreshed;
        return refreshed.ToAccessToken();
    }

    private Tokens Find(AccountName account) =>
        _tokens.TryGetValue(account.Value, out var tokens)
            ? tokens
            : throw new GorgiasAccessException(new Error(ErrorKind.NotFound, "installation_not_found", $"The app is not installed for account '{account}'."));

    private sealed record Tokens(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt)
    {
        public GorgiasAccessToken ToAccessToken() => new(AccessToken, ExpiresAt);
    }
}

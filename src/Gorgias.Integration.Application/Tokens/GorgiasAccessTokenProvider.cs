using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>
/// <see cref="IGorgiasAccessTokenProvider"/>: serves a cached token while it is outside the refresh margin and was
/// re-validated within <c>Gorgias:TokenCacheRevalidation</c>; otherwise asks <see cref="AccessTokenRefresher"/>.
/// </summary>
/// <remarks>
/// The hot path reads one dictionary entry and one field of it (<see cref="CachedAccess.IsFresh"/>, turned off by a timer at
/// the entry's first deadline): no clock read, no SQLite, no decryption, no allocation (the
/// <see cref="ValueTask{TResult}"/> completes synchronously with a struct). The trade-off of caching: a change made by
/// another process (refresh, uninstall, re-install, lost access) is seen after at most the re-validation period;
/// until then this process may hand out the token it holds, which Gorgias keeps accepting until it expires (a revoked
/// grant does not invalidate an issued access token). A change made in this process is seen at once.
/// </remarks>
internal sealed class GorgiasAccessTokenProvider(
    AccessTokenCache cache,
    AccessTokenRefresher refresher,
    RefreshFailureBackoff backoff,
    IOptions<GorgiasOptions> options,
    TimeProvider time) : IGorgiasAccessTokenProvider
{
    private readonly TimeSpan _margin = options.Value.RefreshBeforeExpiry;

    /// <inheritdoc />
    public ValueTask<GorgiasAccessToken> GetAccessTokenAsync(AccountName account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (cache.TryGet(account, out var entry))
        {
            // Before its first deadline an entry answers without a clock read; after it, the full check decides.
            if (entry.IsFresh || entry.CanServe(time.GetUtcNow(), backoff))
            {
                return new ValueTask<GorgiasAccessToken>(entry.AccessToken);
            }
        }

        return AcquireAsync(account, TokenNeed.ValidFor(_margin), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<GorgiasAccessToken> RefreshAfterRejectionAsync(AccountName account, string rejectedAccessToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrEmpty(rejectedAccessToken);
        if (cache.TryGet(account, out var entry)
            && !string.Equals(entry.Tokens.AccessToken, rejectedAccessToken, StringComparison.Ordinal)
            && entry.CanServe(time.GetUtcNow(), backoff))
        {
            // Another caller already replaced the rejected token.
            return new ValueTask<GorgiasAccessToken>(entry.AccessToken);
        }

        return AcquireAsync(account, TokenNeed.Replace(rejectedAccessToken, _margin), cancellationToken);
    }

    private async ValueTask<GorgiasAccessToken> AcquireAsync(AccountName account, TokenNeed need, CancellationToken cancellationToken)
    {
        var outcome = await refresher.AcquireAsync(account, need, cancellationToken);

        // Tokens come with an error only when a refresh failed but they still work: serve them (row 25).
        return outcome.Tokens is { } tokens
            ? new GorgiasAccessToken(tokens.AccessToken, tokens.ExpiresAt)
            : throw new GorgiasAccessException(outcome.Error!);
    }
}

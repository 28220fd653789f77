using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>
/// What a host app calls before each Gorgias request: a valid access token for an account, renewed when it is
/// within <c>Gorgias:RefreshBeforeExpiry</c> of expiring. Concurrent callers for one account share one refresh.
/// </summary>
public interface IGorgiasAccessTokenProvider
{
    /// <summary>
    /// A valid access token for <paramref name="account"/>.
    /// Throws <see cref="GorgiasAccessException"/> when the app is not installed, needs re-authorization, or
    /// Gorgias is unavailable (with the retry delay).
    /// </summary>
    ValueTask<GorgiasAccessToken> GetAccessTokenAsync(AccountName account, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gorgias rejected <paramref name="rejectedAccessToken"/> (401): refreshes now, unless another caller has already
    /// replaced that token, in which case the newer one is returned without a second refresh.
    /// </summary>
    ValueTask<GorgiasAccessToken> RefreshAfterRejectionAsync(AccountName account, string rejectedAccessToken, CancellationToken cancellationToken = default);
}

/// <summary>An access token and when it expires.</summary>
/// <param name="Value">The bearer token.</param>
/// <param name="ExpiresAt">When it stops working.</param>
public readonly record struct GorgiasAccessToken(string Value, DateTimeOffset ExpiresAt)
{
    /// <summary>Never prints the token.</summary>
    public override string ToString() => $"GorgiasAccessToken {{ ExpiresAt = {ExpiresAt:O} }}";
}

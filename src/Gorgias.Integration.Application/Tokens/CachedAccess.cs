using Gorgias.Integration.Domain.Tokens;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>One account's decrypted tokens as last read or stored by this process. Immutable: replaced, never changed.</summary>
/// <param name="Tokens">The tokens.</param>
/// <param name="InstallationVersion">The installation's version when they were read; with the token version, what re-validation compares.</param>
/// <param name="RevalidateAt">After this, the store is asked whether they are still current before they are served again.</param>
/// <param name="RefreshDueAt">From then on the token is inside its refresh margin (<see cref="TokenSet.RefreshDueAt"/>), computed once here.</param>
internal sealed record CachedAccess(TokenSet Tokens, long InstallationVersion, DateTimeOffset RevalidateAt,
    DateTimeOffset RefreshDueAt)
{
    /// <summary>What callers get, built once.</summary>
    public GorgiasAccessToken AccessToken { get; } = new(Tokens.AccessToken, Tokens.ExpiresAt);

    /// <summary>
    /// True when the token can be handed out without asking the store: re-validated recently, and either outside the
    /// refresh margin or inside it while a failed refresh is backing off (and not yet expired). The backoff is asked
    /// only inside the margin, so the usual call costs one dictionary lookup.
    /// </summary>
    public bool CanServe(DateTimeOffset now, RefreshFailureBackoff backoff) =>
        now < RevalidateAt
        && (now < RefreshDueAt || (now < Tokens.ExpiresAt && backoff.IsWaiting(Tokens.Account, now)));
}

using Gorgias.Integration.Domain.Tokens;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>One account's decrypted tokens as last read or stored by this process. Immutable: replaced, never changed.</summary>
/// <param name="Tokens">The tokens.</param>
/// <param name="InstallationVersion">The installation's version when they were read; with the token version, what re-validation compares.</param>
/// <param name="RevalidateAt">After this, the store is asked whether they are still current before they are served again.</param>
/// <param name="RefreshRetryAt">A failed refresh is not retried before this (Retry-After); until then a token inside the margin is served as is.</param>
/// <param name="RefreshDueAt">From then on the token is inside its refresh margin (<see cref="TokenSet.RefreshDueAt"/>), computed once here.</param>
internal sealed record CachedAccess(TokenSet Tokens, long InstallationVersion, DateTimeOffset RevalidateAt, DateTimeOffset RefreshRetryAt,
    DateTimeOffset RefreshDueAt)
{
    /// <summary>What callers get, built once.</summary>
    public GorgiasAccessToken AccessToken { get; } = new(Tokens.AccessToken, Tokens.ExpiresAt);

    /// <summary>
    /// True when the token can be handed out without asking the store: re-validated recently, and either outside the
    /// refresh margin or inside it while a refresh is backing off (and not yet expired).
    /// </summary>
    public bool CanServe(DateTimeOffset now) =>
        now < RevalidateAt
        && (now < RefreshDueAt || (now < RefreshRetryAt && now < Tokens.ExpiresAt));
}

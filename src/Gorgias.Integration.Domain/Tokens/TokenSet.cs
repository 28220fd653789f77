using Gorgias.Integration.Domain.Common;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens.Events;

namespace Gorgias.Integration.Domain.Tokens;

/// <summary>
/// One installation's tokens. Immutable: a refresh yields a new <see cref="TokenSet"/> carrying the version it
/// was derived from, so a repository can reject it if someone else saved in between. The set a refresh yields records
/// <see cref="AccessTokenRefreshed"/> until the application publishes it after the save.
/// </summary>
public sealed class TokenSet : IHasDomainEvents
{
    private readonly List<IDomainEvent> _events = [];

    private TokenSet(AccountName account, string accessToken, string refreshToken, DateTimeOffset expiresAt,
        IReadOnlyList<string> scopes, string tokenType, DateTimeOffset issuedAt, long version)
    {
        Account = account;
        AccessToken = accessToken;
        RefreshToken = refreshToken;
        ExpiresAt = expiresAt;
        Scopes = scopes;
        TokenType = tokenType;
        IssuedAt = issuedAt;
        Version = version;
    }

    /// <summary>The account these tokens are for.</summary>
    public AccountName Account { get; }

    /// <summary>The bearer token for Gorgias's API.</summary>
    public string AccessToken { get; }

    /// <summary>The long-lived token that renews <see cref="AccessToken"/>.</summary>
    public string RefreshToken { get; }

    /// <summary>When <see cref="AccessToken"/> stops working.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Granted scopes.</summary>
    public IReadOnlyList<string> Scopes { get; }

    /// <summary>Always <c>Bearer</c>.</summary>
    public string TokenType { get; }

    /// <summary>When <see cref="AccessToken"/> was issued.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>The stored version this set derives from (0 = never saved); used for optimistic concurrency.</summary>
    public long Version { get; }

    /// <inheritdoc />
    public IReadOnlyList<IDomainEvent> DomainEvents => _events;

    /// <inheritdoc />
    public void ClearDomainEvents() => _events.Clear();

    /// <summary>Creates the token set of a completed authorization. A refresh token is required: without one the app cannot keep access.</summary>
    public static TokenSet Issue(AccountName account, TokenGrant grant, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(grant);
        DomainException.ThrowUnless(!string.IsNullOrEmpty(grant.RefreshToken),
            "Gorgias granted no refresh token; request the 'offline' scope so the app keeps access after 24 hours.");
        return Create(account, grant, grant.RefreshToken!, grant.Scopes, now, version: 0);
    }

    /// <summary>Rebuilds a token set from storage.</summary>
    internal static TokenSet Restore(AccountName account, string accessToken, string refreshToken, DateTimeOffset expiresAt,
        IReadOnlyList<string> scopes, string tokenType, DateTimeOffset issuedAt, long version)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        ArgumentException.ThrowIfNullOrEmpty(refreshToken);
        ArgumentNullException.ThrowIfNull(scopes);
        return new TokenSet(account, accessToken, refreshToken, expiresAt, scopes, tokenType, issuedAt, version);
    }

    /// <summary>
    /// The token set after a refresh. Gorgias sends no new refresh token on refresh, so the old one is kept;
    /// a new one (rotation) replaces it. Scopes are kept when the response names none.
    /// </summary>
    public TokenSet Refreshed(TokenGrant grant, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var refreshToken = string.IsNullOrEmpty(grant.RefreshToken) ? RefreshToken : grant.RefreshToken;
        var scopes = grant.Scopes.Count == 0 ? Scopes : grant.Scopes;
        var refreshed = Create(Account, grant, refreshToken, scopes, now, Version);
        var rotated = !string.Equals(refreshToken, RefreshToken, StringComparison.Ordinal);
        refreshed._events.Add(new AccessTokenRefreshed(Account, refreshed.ExpiresAt, rotated, now));
        return refreshed;
    }

    /// <summary>True when the access token expires within <paramref name="margin"/> of <paramref name="now"/> (or already has).</summary>
    public bool IsExpiring(DateTimeOffset now, TimeSpan margin) => now + margin >= ExpiresAt;

    /// <summary>
    /// When the access token is due for a refresh under <paramref name="margin"/>: the margin is at most half the token's
    /// lifetime (MSAL's rule), so a token shorter than the margin is still used for half its life instead of being
    /// refreshed again at once.
    /// </summary>
    public DateTimeOffset RefreshDueAt(TimeSpan margin)
    {
        var halfLife = (ExpiresAt - IssuedAt) / 2;
        var effective = margin < halfLife ? margin : halfLife;
        return effective > TimeSpan.Zero ? ExpiresAt - effective : ExpiresAt;
    }

    /// <summary>True when <paramref name="now"/> has reached <see cref="RefreshDueAt"/>.</summary>
    public bool IsDueForRefresh(DateTimeOffset now, TimeSpan margin) => now >= RefreshDueAt(margin);

    /// <summary>Never prints the tokens.</summary>
    public override string ToString() => $"TokenSet {{ Account = {Account}, ExpiresAt = {ExpiresAt:O}, Version = {Version} }}";

    private static TokenSet Create(AccountName account, TokenGrant grant, string refreshToken,
        IReadOnlyList<string> scopes, DateTimeOffset now, long version)
    {
        DomainException.ThrowUnless(!string.IsNullOrEmpty(grant.AccessToken), "Gorgias granted no access token.");
        DomainException.ThrowUnless(string.Equals(grant.TokenType, "Bearer", StringComparison.OrdinalIgnoreCase),
            $"Gorgias granted a token of type '{grant.TokenType}'; only Bearer tokens are supported.");
        var expiresAt = TokenExpiry.Compute(grant.ExpiresIn, grant.AccessToken, now);
        return new TokenSet(account, grant.AccessToken, refreshToken, expiresAt, scopes, "Bearer", now, version);
    }
}

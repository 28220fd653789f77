using Gorgias.Integration.Domain.Tokens;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>
/// What a caller needs from an account's tokens, judged against the store at the time of the refresh (so a token another
/// process stored meanwhile can satisfy it without a call to Gorgias).
/// </summary>
/// <param name="Margin">The token must not expire within this margin (at most half its lifetime, see <see cref="TokenSet.RefreshDueAt"/>).</param>
/// <param name="Replacing">The token must not be this one (it was rejected, or is being replaced on purpose).</param>
/// <param name="Force">Renew whatever is stored (the admin route): becomes "replace the stored token" once it was read.</param>
internal readonly record struct TokenNeed(TimeSpan Margin, string? Replacing = null, bool Force = false)
{
    public static TokenNeed ValidFor(TimeSpan margin) => new(margin);

    public static TokenNeed Replace(string accessToken, TimeSpan margin) => new(margin, accessToken);

    public static TokenNeed Renew(TimeSpan margin) => new(margin, Force: true);

    /// <summary>True when <paramref name="tokens"/> do. A forced need is never met by what was there before it.</summary>
    public bool IsMetBy(TokenSet tokens, DateTimeOffset now) =>
        !Force && !tokens.IsDueForRefresh(now, Margin) && !string.Equals(tokens.AccessToken, Replacing, StringComparison.Ordinal);

    /// <summary>The need once <paramref name="stored"/> was read: a forced renewal is met by any token other than it.</summary>
    public TokenNeed Observing(TokenSet stored) => Force ? Replace(stored.AccessToken, Margin) : this;

    /// <summary>
    /// Whether the result of a refresh started for <paramref name="shared"/> (that this caller joined) also serves this caller.
    /// A forced renewal is served only by another forced renewal; everything else by the tokens themselves.
    /// </summary>
    public bool IsServedBy(TokenNeed shared, TokenSet tokens, DateTimeOffset now) => Force ? shared.Force : IsMetBy(tokens, now);
}

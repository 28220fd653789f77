using Gorgias.Integration.Domain.Common;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Gorgias.Integration.Domain.Tokens.Events;

namespace Gorgias.Integration.Domain.Tests.Tokens;

public sealed class TokenSetTests
{
    private const string OldRefreshToken = "old-refresh-Bn8nh9P7";
    private const string NewRefreshToken = "new-refresh-Qw3rty77";
    private static readonly AccountName Acme = AccountName.Parse("acme");
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Granted = ["openid", "email", "profile", "offline", "write:all"];

    [Fact]
    public void Issue_WhenGrantIsComplete_HoldsTheTokensAtVersionZero()
    {
        var access = TestJwt.WithExp(Now.AddHours(24).ToUnixTimeSeconds());

        var tokens = TokenSet.Issue(Acme, Grant(access, OldRefreshToken, expiresIn: 0), Now);

        Assert.Equal(Acme, tokens.Account);
        Assert.Equal(access, tokens.AccessToken);
        Assert.Equal(OldRefreshToken, tokens.RefreshToken);
        Assert.Equal(Now.AddHours(24), tokens.ExpiresAt);
        Assert.Equal(Granted, tokens.Scopes);
        Assert.Equal("Bearer", tokens.TokenType);
        Assert.Equal(Now, tokens.IssuedAt);
        Assert.Equal(0, tokens.Version);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(null)]
    [InlineData(-5L)]
    public void Row21_Issue_WhenExpiresInIsNotPositiveAndTokenIsOpaque_ExpiresIn24Hours(long? expiresIn)
    {
        var tokens = TokenSet.Issue(Acme, Grant("opaque-access", OldRefreshToken, expiresIn), Now);

        Assert.Equal(Now.AddHours(24), tokens.ExpiresAt);
    }

    [Fact]
    public void Issue_WhenExpiresInIsPositive_ExpiresAfterIt()
    {
        var tokens = TokenSet.Issue(Acme, Grant("opaque-access", OldRefreshToken, expiresIn: 600), Now);

        Assert.Equal(Now.AddMinutes(10), tokens.ExpiresAt);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Row19_Issue_WhenNoRefreshTokenWasGranted_IsRejectedMentioningOffline(string? refreshToken)
    {
        var exception = Assert.Throws<DomainException>(() =>
            TokenSet.Issue(Acme, Grant("access", refreshToken), Now));

        Assert.Contains("no refresh token", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'offline'", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Row18_Issue_WhenAccessTokenIsMissing_IsRejected(string? accessToken)
    {
        var exception = Assert.Throws<DomainException>(() =>
            TokenSet.Issue(Acme, Grant(accessToken!, OldRefreshToken), Now));

        Assert.Contains("no access token", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mac")]
    [InlineData("DPoP")]
    [InlineData("Basic")]
    [InlineData("")]
    [InlineData("Bearer ")]
    [InlineData(" Bearer")]
    [InlineData("Bearer\n")]
    [InlineData("Bearerx")]
    [InlineData("Beare")]
    public void Row18_Issue_WhenTokenTypeIsNotBearer_IsRejectedNamingTheType(string tokenType)
    {
        var exception = Assert.Throws<DomainException>(() =>
            TokenSet.Issue(Acme, Grant("access", OldRefreshToken, tokenType: tokenType), Now));

        Assert.Contains($"of type '{tokenType}'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("only Bearer tokens are supported", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Row18_Issue_WhenTokenTypeIsNull_IsRejected()
    {
        var exception = Assert.Throws<DomainException>(() =>
            TokenSet.Issue(Acme, Grant("access", OldRefreshToken, tokenType: null!), Now));

        Assert.Contains("only Bearer tokens are supported", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("bearer")]
    [InlineData("BEARER")]
    [InlineData("bEaReR")]
    public void Row18_Issue_WhenTokenTypeIsBearerInAnyCase_IsAcceptedAndNormalised(string tokenType)
    {
        var tokens = TokenSet.Issue(Acme, Grant("access", OldRefreshToken, tokenType: tokenType), Now);

        Assert.Equal("Bearer", tokens.TokenType);
    }

    [Fact]
    public void Issue_WhenAccountOrGrantIsNull_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => TokenSet.Issue(null!, Grant("access", OldRefreshToken), Now));
        Assert.Throws<ArgumentNullException>(() => TokenSet.Issue(Acme, null!, Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Row24_Refreshed_WhenNoRefreshTokenComesBack_KeepsTheOldOne(string? refreshToken)
    {
        var stored = Stored(version: 5);

        var refreshed = stored.Refreshed(Grant("new-access", refreshToken), Now.AddHours(23));

        Assert.Equal(OldRefreshToken, refreshed.RefreshToken);
        Assert.Equal("new-access", refreshed.AccessToken);
    }

    [Fact]
    public void Row24_Refreshed_WhenANewRefreshTokenComesBack_ReplacesTheOldOne()
    {
        var stored = Stored(version: 5);

        var refreshed = stored.Refreshed(Grant("new-access", NewRefreshToken), Now.AddHours(23));

        Assert.Equal(NewRefreshToken, refreshed.RefreshToken);
        Assert.Equal("new-access", refreshed.AccessToken);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(OldRefreshToken, false)]
    [InlineData(NewRefreshToken, true)]
    public void Refreshed_RecordsAccessTokenRefreshed_SayingWhetherTheRefreshTokenRotated(string? refreshToken, bool rotated)
    {
        var stored = Stored(version: 5);
        var refreshedAt = Now.AddHours(23);

        var refreshed = stored.Refreshed(Grant("new-access", refreshToken), refreshedAt);

        var raised = Assert.IsType<AccessTokenRefreshed>(Assert.Single(refreshed.DomainEvents));
        Assert.Equal(new AccessTokenRefreshed(Acme, refreshed.ExpiresAt, rotated, refreshedAt), raised);
        Assert.Empty(stored.DomainEvents);
        refreshed.ClearDomainEvents();
        Assert.Empty(refreshed.DomainEvents);
    }

    [Fact]
    public void Refreshed_KeepsTheVersionItDerivesFromAndLeavesTheOriginalUnchanged()
    {
        var stored = Stored(version: 5);
        var refreshedAt = Now.AddHours(23);

        var refreshed = stored.Refreshed(Grant("new-access", null, expiresIn: 0), refreshedAt);

        Assert.Equal(5, refreshed.Version);
        Assert.Equal(Acme, refreshed.Account);
        Assert.Equal(refreshedAt, refreshed.IssuedAt);
        Assert.Equal(refreshedAt.AddHours(24), refreshed.ExpiresAt);
        Assert.Equal("old-access", stored.AccessToken);
        Assert.Equal(Now.AddHours(1), stored.ExpiresAt);
    }

    [Fact]
    public void Refreshed_WhenTheGrantNamesNoScopes_KeepsTheStoredScopes()
    {
        var stored = Stored(version: 2);

        var refreshed = stored.Refreshed(Grant("new-access", null, scopes: []), Now);

        Assert.Equal(Granted, refreshed.Scopes);
    }

    [Fact]
    public void Refreshed_WhenTheGrantNamesScopes_TakesThem()
    {
        var stored = Stored(version: 2);
        string[] narrower = ["openid", "offline", "tickets:read"];

        var refreshed = stored.Refreshed(Grant("new-access", null, scopes: narrower), Now);

        Assert.Equal(narrower, refreshed.Scopes);
    }

    [Fact]
    public void Row21_Refreshed_WhenExpiresInIsZero_TakesExpiryFromTheNewAccessTokenJwt()
    {
        var exp = Now.AddHours(30);

        var refreshed = Stored(version: 1).Refreshed(
            Grant(TestJwt.WithExp(exp.ToUnixTimeSeconds()), null, expiresIn: 0), Now.AddHours(6));

        Assert.Equal(exp, refreshed.ExpiresAt);
    }

    [Theory]
    [InlineData("mac")]
    [InlineData("")]
    public void Row18_Refreshed_WhenTokenTypeIsNotBearer_IsRejected(string tokenType)
    {
        var exception = Assert.Throws<DomainException>(() =>
            Stored(version: 1).Refreshed(Grant("new-access", null, tokenType: tokenType), Now));

        Assert.Contains("only Bearer tokens are supported", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refreshed_WhenAccessTokenIsMissing_IsRejected()
    {
        var exception = Assert.Throws<DomainException>(() =>
            Stored(version: 1).Refreshed(Grant(string.Empty, NewRefreshToken), Now));

        Assert.Contains("no access token", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-61, false)] // a minute before the margin starts
    [InlineData(-1, false)] // one second before the margin starts
    [InlineData(0, true)] // now + margin == ExpiresAt exactly
    [InlineData(1, true)]
    [InlineData(300, true)] // now == ExpiresAt
    [InlineData(3600, true)] // already expired
    public void IsExpiring_AtTheMarginBoundary(int secondsAfterMarginStarts, bool expected)
    {
        var tokens = Stored(version: 1);
        var margin = TimeSpan.FromMinutes(5);
        var now = tokens.ExpiresAt - margin + TimeSpan.FromSeconds(secondsAfterMarginStarts);

        Assert.Equal(expected, tokens.IsExpiring(now, margin));
    }

    [Fact]
    public void IsExpiring_WithZeroMargin_IsTrueFromTheExpiryInstantOn()
    {
        var tokens = Stored(version: 1);

        Assert.False(tokens.IsExpiring(tokens.ExpiresAt.AddTicks(-1), TimeSpan.Zero));
        Assert.True(tokens.IsExpiring(tokens.ExpiresAt, TimeSpan.Zero));
        Assert.True(tokens.IsExpiring(tokens.ExpiresAt.AddDays(1), TimeSpan.Zero));
    }

    [Fact]
    public void ToString_NeverContainsTheTokens()
    {
        var access = TestJwt.WithExp(Now.AddHours(24).ToUnixTimeSeconds());
        var tokens = TokenSet.Issue(Acme, Grant(access, OldRefreshToken), Now);

        var text = tokens.ToString();

        Assert.DoesNotContain(access, text, StringComparison.Ordinal);
        Assert.DoesNotContain(access[..20], text, StringComparison.Ordinal);
        Assert.DoesNotContain(OldRefreshToken, text, StringComparison.Ordinal);
        Assert.Contains("acme", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TokenGrant_ToString_NeverContainsTheTokens()
    {
        var text = Grant("secret-access-token", NewRefreshToken).ToString();

        Assert.DoesNotContain("secret-access-token", text, StringComparison.Ordinal);
        Assert.DoesNotContain(NewRefreshToken, text, StringComparison.Ordinal);
        Assert.Contains("HasRefreshToken = True", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(20, 300, 10)] // shorter than the margin: refreshed at half its life
    [InlineData(120, 300, 60)]
    [InlineData(86400, 300, 300)] // a day-long token: the configured margin
    public void RefreshDueAt_IsTheMarginBeforeExpiry_AtMostHalfTheLifetime(int lifetimeSeconds, int marginSeconds, int effectiveSeconds)
    {
        var tokens = TokenSet.Issue(Acme, Grant("at", "rt", lifetimeSeconds), Now);

        Assert.Equal(tokens.ExpiresAt - TimeSpan.FromSeconds(effectiveSeconds), tokens.RefreshDueAt(TimeSpan.FromSeconds(marginSeconds)));
        Assert.False(tokens.IsDueForRefresh(Now.AddSeconds(lifetimeSeconds - effectiveSeconds).AddTicks(-1), TimeSpan.FromSeconds(marginSeconds)));
        Assert.True(tokens.IsDueForRefresh(Now.AddSeconds(lifetimeSeconds - effectiveSeconds), TimeSpan.FromSeconds(marginSeconds)));
    }

    [Fact]
    public void Restore_RebuildsEveryField()
    {
        var tokens = TokenSet.Restore(Acme, "a", "r", Now.AddHours(1), Granted, "Bearer", Now, version: 9);

        Assert.Equal(("a", "r", Now.AddHours(1), "Bearer", Now, 9L),
            (tokens.AccessToken, tokens.RefreshToken, tokens.ExpiresAt, tokens.TokenType, tokens.IssuedAt, tokens.Version));
        Assert.Equal(Granted, tokens.Scopes);
    }

    [Theory]
    [InlineData("", "r")]
    [InlineData("a", "")]
    [InlineData(null, "r")]
    [InlineData("a", null)]
    public void Restore_WhenATokenIsMissing_Throws(string? access, string? refresh)
    {
        Assert.ThrowsAny<ArgumentException>(() =>
            TokenSet.Restore(Acme, access!, refresh!, Now, Granted, "Bearer", Now, version: 1));
    }

    private static TokenSet Stored(long version) =>
        TokenSet.Restore(Acme, "old-access", OldRefreshToken, Now.AddHours(1), Granted, "Bearer", Now.AddHours(-23), version);

    private static TokenGrant Grant(string accessToken, string? refreshToken, long? expiresIn = 0,
        IReadOnlyList<string>? scopes = null, string tokenType = "Bearer") =>
        new(accessToken, refreshToken, expiresIn, scopes ?? Granted, tokenType);
}

using Gorgias.Integration.Domain.Authorization;
using Gorgias.Integration.Domain.Common;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Domain.Tests.Authorization;

public sealed class AuthorizationRequestTests
{
    private const string RedirectUri = "https://app.example.com/oauth/callback?account=acme";
    private const string Nonce = "nonce-Zm9vYmFyYmF6cXV4";
    private const string BrowserBinding = "browser-hash-c2VjcmV0LWNvb2tpZS1oYXNo";
    private static readonly AccountName Acme = AccountName.Parse("acme");
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string State = new('S', 43);
    private static readonly string Verifier = new('V', 64);

    [Fact]
    public void Create_WhenEverythingIsValid_HoldsItAndExpiresAfterTheLifetime()
    {
        var request = AuthorizationRequest.Create(Acme, State, Nonce, Verifier, RedirectUri, BrowserBinding,
            Now, TimeSpan.FromMinutes(10));

        Assert.Equal(State, request.State);
        Assert.Equal(Acme, request.Account);
        Assert.Equal(Nonce, request.Nonce);
        Assert.Equal(Verifier, request.CodeVerifier);
        Assert.Equal(RedirectUri, request.RedirectUri);
        Assert.Equal(BrowserBinding, request.BrowserBinding);
        Assert.Equal(Now, request.CreatedAt);
        Assert.Equal(Now.AddMinutes(10), request.ExpiresAt);
    }

    [Fact]
    public void Row6_DefaultLifetime_IsTenMinutes()
    {
        Assert.Equal(TimeSpan.FromMinutes(10), AuthorizationRequest.DefaultLifetime);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(600)]
    [InlineData(86_400)]
    public void Create_ExpiresAtIsNowPlusTheLifetime(int seconds)
    {
        var request = Create(lifetime: TimeSpan.FromSeconds(seconds));

        Assert.Equal(Now.AddSeconds(seconds), request.ExpiresAt);
    }

    [Theory]
    [InlineData(43)]
    [InlineData(44)]
    [InlineData(256)]
    [InlineData(512)]
    public void Row8_Create_WhenStateLengthIsWithinBounds_IsAccepted(int length)
    {
        Assert.Equal(length, Create(state: new string('s', length)).State.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(22)] // 128 bits in base64url: too short for this project's 256-bit rule
    [InlineData(42)]
    [InlineData(513)]
    [InlineData(100_000)]
    public void Row8_Create_WhenStateLengthIsOutOfBounds_IsRejected(int length)
    {
        var exception = Assert.Throws<DomainException>(() => Create(state: new string('s', length)));

        Assert.Contains("The state must be 43 to 512 characters", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Row8_Create_WhenStateIsNull_IsRejected()
    {
        var exception = Assert.Throws<DomainException>(() => AuthorizationRequest.Create(Acme, null!, Nonce, Verifier,
            RedirectUri, BrowserBinding, Now, AuthorizationRequest.DefaultLifetime));

        Assert.Contains("The state must be", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Row20_Create_WhenNonceIsMissing_IsRejected(string? nonce)
    {
        var exception = Assert.Throws<DomainException>(() => Create(nonce: nonce));

        Assert.Contains("nonce is missing", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(43)]
    [InlineData(64)]
    [InlineData(128)]
    public void Row11_Create_WhenCodeVerifierHas43To128Characters_IsAccepted(int length)
    {
        Assert.Equal(length, Create(codeVerifier: new string('v', length)).CodeVerifier?.Length);
    }

    [Fact]
    public void Row11_Create_WhenPkceIsOff_AcceptsNoVerifier()
    {
        Assert.Null(Create(codeVerifier: null, withoutVerifier: true).CodeVerifier);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(129)]
    [InlineData(10_000)]
    public void Row11_Create_WhenCodeVerifierLengthIsOutOfBounds_IsRejected(int length)
    {
        var exception = Assert.Throws<DomainException>(() => Create(codeVerifier: new string('v', length)));

        Assert.Contains("43 to 128 characters (RFC 7636", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://app.example.com/oauth/callback")]
    [InlineData("https://app.example.com/oauth/callback?account=acme")]
    [InlineData("http://127.0.0.1:5000/oauth/callback")]
    [InlineData("http://localhost:5000/oauth/callback")]
    public void Row5_Create_WhenRedirectUriIsAbsoluteHttp_IsAcceptedUnchanged(string redirectUri)
    {
        Assert.Equal(redirectUri, Create(redirectUri: redirectUri).RedirectUri);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("callback")]
    [InlineData("oauth/callback")]
    [InlineData("/oauth/callback")] // on Linux and macOS System.Uri reads this as file:///oauth/callback
    [InlineData("//evil.example/oauth/callback")]
    [InlineData("file:///etc/passwd")]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://app.example.com/oauth/callback")]
    public void Row5_Create_WhenRedirectUriIsNotAnAbsoluteHttpUri_IsRejected(string? redirectUri)
    {
        var exception = Assert.Throws<DomainException>(() => Create(redirectUri: redirectUri));

        Assert.Contains("The redirect URI must be an absolute http or https URI", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Row9_Create_WhenNotBoundToABrowser_IsRejected(string? browserBinding)
    {
        var exception = Assert.Throws<DomainException>(() => Create(browserBinding: browserBinding));

        Assert.Contains("bound to a browser", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(-6_000_000_000L)]
    public void Create_WhenLifetimeIsNotPositive_IsRejected(long ticks)
    {
        var exception = Assert.Throws<DomainException>(() => Create(lifetime: TimeSpan.FromTicks(ticks)));

        Assert.Contains("lifetime must be positive", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WhenAccountIsNull_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => AuthorizationRequest.Create(null!, State, Nonce, Verifier,
            RedirectUri, BrowserBinding, Now, AuthorizationRequest.DefaultLifetime));
    }

    [Fact]
    public void Row6_IsExpiredAt_IsFalseBeforeExpiryAndTrueFromTheExpiryInstantOn()
    {
        var request = Create(lifetime: AuthorizationRequest.DefaultLifetime);

        Assert.False(request.IsExpiredAt(Now));
        Assert.False(request.IsExpiredAt(request.ExpiresAt.AddTicks(-1)));
        Assert.True(request.IsExpiredAt(request.ExpiresAt));
        Assert.True(request.IsExpiredAt(request.ExpiresAt.AddTicks(1)));
        Assert.True(request.IsExpiredAt(Now.AddHours(1)));
    }

    [Fact]
    public void Restore_RebuildsEveryField()
    {
        var request = AuthorizationRequest.Restore(State, Acme, Nonce, null, RedirectUri, BrowserBinding,
            Now, Now.AddMinutes(10));

        Assert.Equal(State, request.State);
        Assert.Equal(Acme, request.Account);
        Assert.Equal(Nonce, request.Nonce);
        Assert.Null(request.CodeVerifier);
        Assert.Equal(RedirectUri, request.RedirectUri);
        Assert.Equal(BrowserBinding, request.BrowserBinding);
        Assert.Equal(Now, request.CreatedAt);
        Assert.Equal(Now.AddMinutes(10), request.ExpiresAt);
    }

    [Fact]
    public void ToString_NeverContainsTheSecrets()
    {
        var state = "state-" + new string('x', 40);
        var verifier = "verifier-" + new string('y', 40);
        var request = AuthorizationRequest.Create(Acme, state, Nonce, verifier, RedirectUri, BrowserBinding,
            Now, AuthorizationRequest.DefaultLifetime);

        var text = request.ToString();

        Assert.DoesNotContain(state, text, StringComparison.Ordinal);
        Assert.DoesNotContain("state-", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Nonce, text, StringComparison.Ordinal);
        Assert.DoesNotContain("verifier-", text, StringComparison.Ordinal);
        Assert.DoesNotContain(BrowserBinding, text, StringComparison.Ordinal);
        Assert.Contains("acme", text, StringComparison.Ordinal);
    }

    private static AuthorizationRequest Create(string? state = null, string? nonce = Nonce, string? codeVerifier = null,
        string? redirectUri = RedirectUri, string? browserBinding = BrowserBinding, TimeSpan? lifetime = null,
        bool withoutVerifier = false) =>
        AuthorizationRequest.Create(Acme, state ?? State, nonce!, withoutVerifier ? null : codeVerifier ?? Verifier,
            redirectUri!, browserBinding!, Now, lifetime ?? AuthorizationRequest.DefaultLifetime);
}

using System.Buffers.Text;
using System.Text;
using Gorgias.Integration.Domain.Authorization;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Secrets;
using Microsoft.AspNetCore.DataProtection;

namespace Gorgias.Integration.Infrastructure.Tests.Secrets;

/// <summary>
/// The pending authorization carried in the <c>state</c> sent to Gorgias: it comes back whole for its own account, and
/// nothing else opens (SECURITY.md rows 6, 8, 39): not an altered state, not one issued for another account or under
/// another key ring, not garbage.
/// </summary>
public sealed class AuthorizationStateProtectorTests
{
    private const string RedirectUri = "https://app.example.test/oauth/callback?account=acme";
    private static readonly AccountName Acme = AccountName.Parse("acme");
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, 123, TimeSpan.Zero);

    private readonly AuthorizationStateProtector _states = new(new SecretProtector(new EphemeralDataProtectionProvider()));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Protect_ThenUnprotect_RoundTripsEveryField(bool withVerifier)
    {
        var request = Request(Acme, withVerifier);

        var opened = _states.Unprotect(_states.Protect(request), Acme, RedirectUri);

        Assert.NotNull(opened);
        Assert.Equal((request.State, request.Account, request.Nonce, request.CodeVerifier, request.BrowserBinding),
            (opened.State, opened.Account, opened.Nonce, opened.CodeVerifier, opened.BrowserBinding));
        Assert.Equal((T0, T0 + AuthorizationRequest.DefaultLifetime, RedirectUri), (opened.CreatedAt, opened.ExpiresAt, opened.RedirectUri));
    }

    [Theory]
    [InlineData("verifier.with~the-rfc7636-characters_that.base64url.lacks.00000")] // travels as UTF-8
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")] // base64url, but not canonical: its last bits are not zero
    [InlineData("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NQ")] // canonical, 58 bytes
    public void Protect_ThenUnprotect_KeepsAnyVerifierExactly(string verifier)
    {
        var request = AuthorizationRequest.Create(Acme, Random(), "a nonce that is not base64url", verifier, RedirectUri, Random(), T0,
            AuthorizationRequest.DefaultLifetime);

        var opened = _states.Unprotect(_states.Protect(request), Acme, RedirectUri);

        Assert.Equal((verifier, "a nonce that is not base64url"), (opened?.CodeVerifier, opened?.Nonce));
    }

    [Fact]
    public void Row8_TheState_IsBase64Url_WithinTheLimit_AndHoldsNoSecretInTheClear()
    {
        var request = Request(Acme, withVerifier: true);

        var state = _states.Protect(request);
        var bytes = Base64Url.DecodeFromChars(state);

        Assert.InRange(state.Length, AuthorizationRequest.MinStateLength, AuthorizationRequest.MaxStateLength);
        Assert.True(Base64Url.IsValid(state));
        foreach (var secret in new[] { request.State, request.Nonce, request.CodeVerifier!, request.BrowserBinding })
        {
            Assert.DoesNotContain(secret, state, StringComparison.Ordinal);
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, "a secret is in the state's bytes");
        }
    }

    [Fact]
    public void Row6_AnAlteredState_OpensToNothing_WhicheverCharacterChanged()
    {
        var state = _states.Protect(Request(Acme, withVerifier: true));

        for (var i = 0; i < state.Length; i += 7)
        {
            var altered = string.Concat(state.AsSpan(0, i), state[i] == 'A' ? "B" : "A", state.AsSpan(i + 1));
            Assert.Null(_states.Unprotect(altered, Acme, RedirectUri));
        }

        Assert.NotNull(_states.Unprotect(state, Acme, RedirectUri));
    }

    [Fact]
    public void Row39_AStateIssuedForOneAccount_OpensForNoOther()
    {
        var state = _states.Protect(Request(Acme, withVerifier: true));

        Assert.Null(_states.Unprotect(state, AccountName.Parse("globex"), RedirectUri));
        Assert.NotNull(_states.Unprotect(state, Acme, RedirectUri));
    }

    [Fact]
    public void Row6_AStateFromAnotherKeyRing_OpensToNothing()
    {
        var elsewhere = new AuthorizationStateProtector(new SecretProtector(new EphemeralDataProtectionProvider()));

        Assert.Null(_states.Unprotect(elsewhere.Protect(Request(Acme, withVerifier: true)), Acme, RedirectUri));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64url!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Row6_AStateThatCouldNeverHaveBeenIssued_OpensToNothing(string state) =>
        Assert.Null(_states.Unprotect(state, Acme, RedirectUri));

    [Fact]
    public void Row6_AStateLongerThanTheLimit_IsNotEvenDecoded() =>
        Assert.Null(_states.Unprotect(new string('A', AuthorizationRequest.MaxStateLength + 4), Acme, RedirectUri));

    private static AuthorizationRequest Request(AccountName account, bool withVerifier) =>
        AuthorizationRequest.Create(account, Random(), Random(), withVerifier ? Random() : null, RedirectUri, Random(), T0, AuthorizationRequest.DefaultLifetime);

    private static string Random() => Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}

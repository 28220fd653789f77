using Gorgias.Integration.Domain.Common;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Domain.Authorization;

/// <summary>
/// One pending authorization: what the app sent to Gorgias's authorize endpoint and must check when the
/// browser comes back. Single use: a store hands it out once, then forgets it.
/// </summary>
public sealed class AuthorizationRequest
{
    /// <summary>How long a user has to approve before the request expires.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    /// <summary>The shortest state accepted: 32 random bytes in base64url.</summary>
    public const int MinStateLength = 43;

    /// <summary>The longest state accepted.</summary>
    public const int MaxStateLength = 512;

    private AuthorizationRequest(string state, AccountName account, string nonce, string? codeVerifier,
        string redirectUri, string browserBinding, DateTimeOffset createdAt, DateTimeOffset expiresAt)
    {
        State = state;
        Account = account;
        Nonce = nonce;
        CodeVerifier = codeVerifier;
        RedirectUri = redirectUri;
        BrowserBinding = browserBinding;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
    }

    /// <summary>The opaque value sent as <c>state</c>; a store keeps only its hash.</summary>
    public string State { get; }

    /// <summary>The account the flow was started for; the token endpoint's host comes from here only.</summary>
    public AccountName Account { get; }

    /// <summary>The value sent as <c>nonce</c>, compared with the id_token's.</summary>
    public string Nonce { get; }

    /// <summary>The PKCE verifier (RFC 7636), or null when PKCE is off.</summary>
    public string? CodeVerifier { get; }

    /// <summary>The exact <c>redirect_uri</c> sent to the authorize endpoint, to be sent again at the token endpoint.</summary>
    public string RedirectUri { get; }

    /// <summary>A hash of the browser secret (cookie) the flow is bound to.</summary>
    public string BrowserBinding { get; }

    /// <summary>When the flow started.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When the flow stops being accepted.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Starts a pending authorization.</summary>
    public static AuthorizationRequest Create(AccountName account, string state, string nonce, string? codeVerifier,
        string redirectUri, string browserBinding, DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(account);
        DomainException.ThrowUnless(state is { Length: >= MinStateLength and <= MaxStateLength },
            $"The state must be {MinStateLength} to {MaxStateLength} characters (at least 256 random bits).");
        DomainException.ThrowUnless(!string.IsNullOrEmpty(nonce), "The nonce is missing.");
        DomainException.ThrowUnless(codeVerifier is null or { Length: >= 43 and <= 128 },
            "A PKCE code verifier has 43 to 128 characters (RFC 7636 §4.1).");
        // An http(s) scheme is checked, not just "absolute": on Linux and macOS System.Uri takes "/oauth/callback"
        // for the absolute file:///oauth/callback.
        DomainException.ThrowUnless(
            Uri.TryCreate(redirectUri, UriKind.Absolute, out var redirect)
                && (redirect.Scheme == Uri.UriSchemeHttps || redirect.Scheme == Uri.UriSchemeHttp),
            "The redirect URI must be an absolute http or https URI.");
        DomainException.ThrowUnless(!string.IsNullOrEmpty(browserBinding), "The flow must be bound to a browser.");
        DomainException.ThrowUnless(lifetime > TimeSpan.Zero, "The lifetime must be positive.");
        return new AuthorizationRequest(state, account, nonce, codeVerifier, redirectUri, browserBinding, now, now + lifetime);
    }

    /// <summary>Rebuilds a request from storage.</summary>
    internal static AuthorizationRequest Restore(string state, AccountName account, string nonce, string? codeVerifier,
        string redirectUri, string browserBinding, DateTimeOffset createdAt, DateTimeOffset expiresAt) =>
        new(state, account, nonce, codeVerifier, redirectUri, browserBinding, createdAt, expiresAt);

    /// <summary>True once <paramref name="now"/> has reached <see cref="ExpiresAt"/>.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => now >= ExpiresAt;

    /// <summary>Never prints the secrets.</summary>
    public override string ToString() => $"AuthorizationRequest {{ Account = {Account}, ExpiresAt = {ExpiresAt:O} }}";
}

using Gorgias.Integration.Domain.Authorization;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>
/// Turns a pending authorization into the <c>state</c> sent to Gorgias, and back: encrypted and authenticated for its
/// account, so the browser, Gorgias and anyone who sees the URL can neither read the PKCE verifier nor alter or forge a
/// state, and a state issued for one account opens for no other. As ASP.NET Core's OAuth handler carries its state.
/// </summary>
internal interface IAuthorizationStateProtector
{
    /// <summary>The <c>state</c> value for <paramref name="request"/>: base64url, at most <see cref="AuthorizationRequest.MaxStateLength"/> characters.</summary>
    string Protect(AuthorizationRequest request);

    /// <summary>
    /// The request <paramref name="state"/> carries, with <paramref name="redirectUri"/> as its redirect URI (it is
    /// configuration, not carried); null when the state was not issued by this app for <paramref name="account"/>, was
    /// altered, or was protected with a key the key ring no longer has. Expiry, browser and single use are the caller's.
    /// </summary>
    AuthorizationRequest? Unprotect(string state, AccountName account, string redirectUri);
}

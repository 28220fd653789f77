using System.Buffers.Text;
using System.Globalization;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Authorization;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Infrastructure.Secrets;

/// <summary>
/// The <c>state</c> sent to Gorgias: the pending authorization's id, nonce, PKCE verifier, browser binding and times,
/// joined with dots and protected with Data Protection (AES-256-GCM) for the purpose (<see
/// cref="SecretProtector.AuthorizationStatePurpose"/>, account, <c>state</c>), then base64url. Every part is base64url
/// or digits, so the dot never occurs inside one; the state is ~380 characters whatever the configuration.
/// </summary>
/// <remarks>
/// Every replica opens what another issued, as it opens the tokens another stored: they share the key ring (docs/SECURITY.md,
/// Data Protection). A key that leaves the ring invalidates the installs in flight under it (ten minutes at most),
/// never a stored token's meaning.
/// </remarks>
internal sealed class AuthorizationStateProtector(SecretProtector protector) : IAuthorizationStateProtector
{
    private const string Field = "state";
    private const char Separator = '.';
    private const int Parts = 6;

    /// <inheritdoc />
    public string Protect(AuthorizationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var payload = string.Join(Separator,
            request.State,
            request.Nonce,
            request.CodeVerifier ?? string.Empty,
            request.BrowserBinding,
            request.CreatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            request.ExpiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        return Base64Url.EncodeToString(protector.Protect(SecretProtector.AuthorizationStatePurpose, request.Account, Field, payload));
    }

    /// <inheritdoc />
    public AuthorizationRequest? Unprotect(string state, AccountName account, string redirectUri)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(account);
        if (state.Length > AuthorizationRequest.MaxStateLength || !Base64Url.IsValid(state, out var length))
        {
            return null;
        }

        var ciphertext = new byte[length];
        if (Base64Url.DecodeFromChars(state, ciphertext) != length
            || protector.TryUnprotect(SecretProtector.AuthorizationStatePurpose, account, Field, ciphertext) is not { } payload)
        {
            return null;
        }

        // Authenticated, so written by Protect above; a payload of another shape would be a future format's.
        var parts = payload.Split(Separator);
        if (parts.Length != Parts
            || !long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var createdAt)
            || !long.TryParse(parts[5], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt))
        {
            return null;
        }

        return AuthorizationRequest.Restore(parts[0], account, parts[1], parts[2].Length == 0 ? null : parts[2], redirectUri, parts[3],
            DateTimeOffset.FromUnixTimeMilliseconds(createdAt), DateTimeOffset.FromUnixTimeMilliseconds(expiresAt));
    }
}

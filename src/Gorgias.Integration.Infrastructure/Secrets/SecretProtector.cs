using System.Security.Cryptography;
using System.Text;
using Gorgias.Integration.Domain.Installations;
using Microsoft.AspNetCore.DataProtection;

namespace Gorgias.Integration.Infrastructure.Secrets;

/// <summary>
/// Encrypts secrets for the database with ASP.NET Core Data Protection. The protector's purposes are
/// (kind, account, field), so a ciphertext decrypts only as the same field of the same account: a blob copied
/// into another account's row, or from the access-token column into the refresh-token column, fails to
/// decrypt instead of yielding another account's secret.
/// </summary>
internal sealed class SecretProtector(IDataProtectionProvider provider)
{
    /// <summary>Access and refresh tokens in <c>token_sets</c>.</summary>
    public const string TokenSetPurpose = "Gorgias.Integration.TokenSet.v1";

    /// <summary>Nonce and PKCE verifier in <c>authorization_requests</c>.</summary>
    public const string AuthorizationRequestPurpose = "Gorgias.Integration.AuthorizationRequest.v1";

    /// <summary>The refresh token kept in <c>pending_revocations</c> until Gorgias confirms its revocation.</summary>
    public const string PendingRevocationPurpose = "Gorgias.Integration.PendingRevocation.v1";

    /// <summary>The secret an account's event deliveries carry, in <c>event_subscriptions</c>.</summary>
    public const string EventSubscriptionPurpose = "Gorgias.Integration.EventSubscription.v1";

    public byte[] Protect(string purpose, AccountName account, string field, string secret)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(secret);
        var plaintext = Encoding.UTF8.GetBytes(secret);
        try
        {
            return provider.CreateProtector(purpose, account.Value, field).Protect(plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    public string Unprotect(string purpose, AccountName account, string field, byte[] ciphertext)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(ciphertext);
        byte[] plaintext;
        try
        {
            plaintext = provider.CreateProtector(purpose, account.Value, field).Unprotect(ciphertext);
        }
        catch (CryptographicException ex)
        {
            throw new CryptographicException(
                $"The stored {field} of account '{account}' cannot be decrypted: it was not encrypted for this " +
                "account and field (the row was altered), or the Data Protection key that encrypted it is not in " +
                "the key ring (check DataProtection:KeysPath).", ex);
        }

        try
        {
            return Encoding.UTF8.GetString(plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}

using System.Collections.Concurrent;
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
/// <remarks>
/// The protectors are kept, up to <see cref="MaxCachedProtectors"/> (then the cache starts over): creating one chains
/// three protectors and builds their authenticated data, ~1.2 KB and a few microseconds per operation, and an install
/// makes six operations on four protectors of one account (docs/PERFORMANCE.md, issue 15). A protector holds no key: the
/// key ring is read on each operation, so a cached one follows key rotation.
/// </remarks>
internal sealed class SecretProtector(IDataProtectionProvider provider)
{
    /// <summary>How many (purpose, account, field) protectors are kept: ~200 bytes each.</summary>
    public const int MaxCachedProtectors = 4_096;

    /// <summary>Access and refresh tokens in <c>token_sets</c>.</summary>
    public const string TokenSetPurpose = "Gorgias.Integration.TokenSet.v1";

    /// <summary>A pending authorization carried in the <c>state</c> sent to Gorgias (<see cref="AuthorizationStateProtector"/>).</summary>
    public const string AuthorizationStatePurpose = "Gorgias.Integration.AuthorizationState.v1";

    /// <summary>The refresh token kept in <c>pending_revocations</c> until Gorgias confirms its revocation.</summary>
    public const string PendingRevocationPurpose = "Gorgias.Integration.PendingRevocation.v1";

    /// <summary>The secret an account's event deliveries carry, in <c>event_subscriptions</c>.</summary>
    public const string EventSubscriptionPurpose = "Gorgias.Integration.EventSubscription.v1";

    private readonly ConcurrentDictionary<(string Purpose, AccountName Account, string Field), IDataProtector> _protectors = new();

    public byte[] Protect(string purpose, AccountName account, string field, string secret)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(secret);
        var plaintext = Encoding.UTF8.GetBytes(secret);
        try
        {
            return Protect(purpose, account, field, plaintext);
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
            plaintext = ProtectorFor(purpose, account, field).Unprotect(ciphertext);
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

    /// <summary>Encrypts <paramref name="plaintext"/> for (purpose, account, field), as <see cref="Protect(string, AccountName, string, string)"/>.</summary>
    public byte[] Protect(string purpose, AccountName account, string field, byte[] plaintext)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(plaintext);
        return ProtectorFor(purpose, account, field).Protect(plaintext);
    }

    /// <summary>
    /// As <see cref="Unprotect"/> for a value that comes from outside (a browser): null, not an exception, when it was
    /// not protected for this purpose, account and field, was altered, or its key is not in the key ring.
    /// </summary>
    public byte[]? TryUnprotect(string purpose, AccountName account, string field, byte[] ciphertext)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(ciphertext);
        try
        {
            return ProtectorFor(purpose, account, field).Unprotect(ciphertext);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>How many protectors are kept right now.</summary>
    internal int CachedProtectorCount => _protectors.Count;

    private IDataProtector ProtectorFor(string purpose, AccountName account, string field)
    {
        var key = (purpose, account, field);
        if (_protectors.TryGetValue(key, out var protector))
        {
            return protector;
        }

        if (_protectors.Count >= MaxCachedProtectors)
        {
            _protectors.Clear();
        }

        return _protectors.GetOrAdd(key, static (k, p) => p.CreateProtector(k.Purpose, k.Account.Value, k.Field), provider);
    }
}

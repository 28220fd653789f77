using System.Security.Cryptography;
using System.Text;
using Gorgias.Integration.Application.Common.Security;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Gorgias.Integration.Infrastructure.Secrets;

namespace Gorgias.Integration.Infrastructure.Storage;

/// <summary>
/// The encrypted columns both storage adapters keep, and the domain objects they restore from them: one purpose and
/// one column name per secret (SECURITY.md rows on secrets at rest), so a ciphertext decrypts only where it was written.
/// The adapters differ only in how they store instants, which they convert before and after.
/// </summary>
internal static class StoredSecrets
{
    /// <summary>The access and refresh token of <paramref name="tokens"/>, encrypted for their columns.</summary>
    public static (byte[] AccessToken, byte[] RefreshToken) ProtectTokens(this SecretProtector protector, TokenSet tokens) => (
        protector.Protect(SecretProtector.TokenSetPurpose, tokens.Account, "access_token", tokens.AccessToken),
        protector.Protect(SecretProtector.TokenSetPurpose, tokens.Account, "refresh_token", tokens.RefreshToken));

    /// <summary>The token set stored for <paramref name="account"/>, its two ciphertexts decrypted.</summary>
    public static TokenSet RestoreTokenSet(this SecretProtector protector, AccountName account, byte[] accessToken, byte[] refreshToken,
        DateTimeOffset expiresAt, string scopes, string tokenType, DateTimeOffset issuedAt, long version) =>
        TokenSet.Restore(
            account,
            protector.Unprotect(SecretProtector.TokenSetPurpose, account, "access_token", accessToken),
            protector.Unprotect(SecretProtector.TokenSetPurpose, account, "refresh_token", refreshToken),
            expiresAt,
            StoredScopes.Split(scopes),
            tokenType,
            issuedAt,
            version);

    /// <summary>The key under which a used request is recorded: SHA-256 of its id's UTF-8 bytes (the id itself is never stored).</summary>
    public static byte[] HashState(string state)
    {
        const int MaxStackStateLength = 512;
        ArgumentNullException.ThrowIfNull(state);
        if (state.Length > MaxStackStateLength)
        {
            return SHA256.HashData(Encoding.UTF8.GetBytes(state));
        }

        // Every callback hashes one: its UTF-8 bytes on the stack (ids are at most 512 characters).
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(MaxStackStateLength)];
        return SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(state, utf8)]);
    }

    /// <summary>A refresh token queued for revocation, encrypted for its column.</summary>
    public static byte[] ProtectQueuedToken(this SecretProtector protector, PendingRevocation revocation) =>
        protector.Protect(SecretProtector.PendingRevocationPurpose, revocation.Account, QueuedTokenField, revocation.RefreshToken);

    /// <summary>Whether the queued ciphertext <paramref name="stored"/> is <paramref name="revocation"/>'s token (compared in constant time).</summary>
    public static bool HoldsQueuedToken(this SecretProtector protector, byte[] stored, PendingRevocation revocation) =>
        ConstantTime.AreEqual(
            protector.Unprotect(SecretProtector.PendingRevocationPurpose, revocation.Account, QueuedTokenField, stored), revocation.RefreshToken);

    /// <summary>The revocation queued for <paramref name="account"/>, its token decrypted.</summary>
    public static PendingRevocation RestorePendingRevocation(this SecretProtector protector, string account, byte[] refreshToken,
        int attempts, DateTimeOffset nextAttemptAt, DateTimeOffset createdAt)
    {
        var name = AccountName.Parse(account);
        return new PendingRevocation(
            name, protector.Unprotect(SecretProtector.PendingRevocationPurpose, name, QueuedTokenField, refreshToken), attempts, nextAttemptAt, createdAt);
    }

    private const string QueuedTokenField = "refresh_token";
}

using System.Security.Cryptography;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Secrets;
using Microsoft.AspNetCore.DataProtection;

namespace Gorgias.Integration.Infrastructure.Tests.Secrets;

/// <summary>
/// <see cref="SecretProtector"/> keeps its (purpose, account, field) protectors: built once per triple, bounded in
/// number, and a ciphertext still opens only as the field and account it was made for.
/// </summary>
public sealed class SecretProtectorTests
{
    private static readonly AccountName Acme = AccountName.Parse("acme");

    [Fact]
    public void ProtectAndUnprotect_OfOneField_BuildItsProtectorOnce()
    {
        var provider = new CountingProvider();
        var protector = new SecretProtector(provider);

        for (var i = 0; i < 10; i++)
        {
            var ciphertext = protector.Protect(SecretProtector.TokenSetPurpose, Acme, "access_token", $"token-{i}");
            Assert.Equal($"token-{i}", protector.Unprotect(SecretProtector.TokenSetPurpose, Acme, "access_token", ciphertext));
        }

        Assert.Equal(1, provider.Created);
        protector.Protect(SecretProtector.TokenSetPurpose, Acme, "refresh_token", "another field");
        Assert.Equal(2, provider.Created);
    }

    [Fact]
    public void ACiphertext_OpensOnlyAsItsOwnAccountAndField_WithTheProtectorsKept()
    {
        var protector = new SecretProtector(new CountingProvider());
        var other = AccountName.Parse("other");
        var ciphertext = protector.Protect(SecretProtector.TokenSetPurpose, Acme, "access_token", "acme's token");
        _ = protector.Protect(SecretProtector.TokenSetPurpose, other, "access_token", "warms the other account's protector");
        _ = protector.Protect(SecretProtector.TokenSetPurpose, Acme, "refresh_token", "warms the other field's protector");

        var asOtherAccount = Assert.Throws<CryptographicException>(() => protector.Unprotect(SecretProtector.TokenSetPurpose, other, "access_token", ciphertext));
        Assert.Contains("access_token of account 'other'", asOtherAccount.Message, StringComparison.Ordinal);
        Assert.Throws<CryptographicException>(() => protector.Unprotect(SecretProtector.TokenSetPurpose, Acme, "refresh_token", ciphertext));
        Assert.Equal("acme's token", protector.Unprotect(SecretProtector.TokenSetPurpose, Acme, "access_token", ciphertext));
    }

    [Fact]
    public void TheKeptProtectors_AreBounded_AndEverySecretStillRoundTripsPastTheBound()
    {
        var provider = new CountingProvider();
        var protector = new SecretProtector(provider);
        var accounts = Enumerable.Range(0, SecretProtector.MaxCachedProtectors + 10).Select(i => AccountName.Parse($"shop-{i}")).ToArray();

        var ciphertexts = accounts.Select(account => protector.Protect(SecretProtector.AuthorizationStatePurpose, account, "state", account.Value)).ToArray();

        Assert.InRange(protector.CachedProtectorCount, 1, SecretProtector.MaxCachedProtectors);
        Assert.Equal(accounts.Length, provider.Created);
        for (var i = 0; i < accounts.Length; i++)
        {
            Assert.Equal(accounts[i].Value, protector.Unprotect(SecretProtector.AuthorizationStatePurpose, accounts[i], "state", ciphertexts[i]));
        }
    }

    /// <summary>Data Protection with an in-memory key, counting the protectors built from the root.</summary>
    private sealed class CountingProvider : IDataProtectionProvider
    {
        private readonly EphemeralDataProtectionProvider _inner = new();

        public int Created { get; private set; }

        public IDataProtector CreateProtector(string purpose)
        {
            Created++;
            return _inner.CreateProtector(purpose);
        }
    }
}

using Gorgias.Integration.Domain.Installations;
using Xunit;

namespace Gorgias.Integration.Testing.Storage;

/// <summary>Keyset pages of installations and the refresh records of one page's accounts.</summary>
public abstract partial class StorageConformanceTests
{
    /// <summary>
    /// Pages in ordinal order cover every installation exactly once, whatever order they were saved in; a page
    /// after the last account is empty. Names with digits and hyphens check the order is ordinal, not a locale's.
    /// </summary>
    [Fact]
    public async Task InstallationPages_InOrdinalOrder_CoverEveryInstallationOnce()
    {
        await using var storage = await CreateStorageAsync();
        string[] names = ["zeta", "a-1", "a1", "alpha", "b", "a-10", "z9", "a", "m-m", "m0"];
        foreach (var name in names)
        {
            await storage.Installations.SaveAsync(Installation.Start(Account(name), T0), CancellationToken.None);
        }

        var seen = new List<string>();
        AccountName? after = null;
        var pages = 0;
        while (true)
        {
            var page = await storage.Installations.ListAsync(after, 3, CancellationToken.None);
            Assert.InRange(page.Count, 0, 3);
            if (page.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Select(i => i.Account.Value));
            after = page[^1].Account;
            pages++;
        }

        Assert.Equal(names.Order(StringComparer.Ordinal), seen);
        Assert.Equal(4, pages);
        Assert.Equal(
            (await storage.Installations.ListAsync(CancellationToken.None)).Select(i => i.Account.Value),
            seen);
        Assert.Equal(["a", "a-1"], (await storage.Installations.ListAsync(null, 2, CancellationToken.None)).Select(i => i.Account.Value));
        Assert.Empty(await storage.Installations.ListAsync(Account("zeta"), 5, CancellationToken.None));
    }

    /// <summary>The refresh records of chosen accounts: only those asked for that have tokens, each with its issue time.</summary>
    [Fact]
    public async Task RefreshHealthOfSomeAccounts_ReturnsOnlyThoseWithTokens_WithTheirIssueTime()
    {
        await using var storage = await CreateStorageAsync();
        var acme = await InstallAsync(storage, "acme", T0);
        await InstallAsync(storage, "globex", T0.AddMinutes(2));
        await InstallAsync(storage, "initech", T0.AddMinutes(3));
        await storage.Installations.SaveAsync(Installation.Start(Account("pending"), T0), CancellationToken.None);

        var health = await storage.TokenSets.ListRefreshHealthAsync([Account("acme"), Account("initech"), Account("pending"), Account("nobody")], CancellationToken.None);

        Assert.Equal(["acme", "initech"], health.Keys.Select(a => a.Value).Order(StringComparer.Ordinal));
        Assert.Equal((acme.ExpiresAt, T0), (health[Account("acme")].AccessTokenExpiresAt, health[Account("acme")].AccessTokenIssuedAt));
        Assert.Equal(T0.AddMinutes(3), health[Account("initech")].AccessTokenIssuedAt);
        Assert.Empty(await storage.TokenSets.ListRefreshHealthAsync([], CancellationToken.None));

        var refreshed = await storage.TokenSets.SaveAsync(acme.Refreshed(Grant(), T0.AddHours(1)), CancellationToken.None);
        Assert.Equal(T0.AddHours(1), (await storage.TokenSets.FindRefreshHealthAsync(Account("acme"), CancellationToken.None))!.AccessTokenIssuedAt);
        Assert.Equal(refreshed.ExpiresAt, (await storage.TokenSets.ListRefreshHealthAsync([Account("acme")], CancellationToken.None))[Account("acme")].AccessTokenExpiresAt);
    }
}

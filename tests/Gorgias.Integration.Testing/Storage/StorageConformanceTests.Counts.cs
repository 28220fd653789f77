using Gorgias.Integration.Domain.Installations;
using Xunit;

namespace Gorgias.Integration.Testing.Storage;

public abstract partial class StorageConformanceTests
{
    /// <summary>The counts behind the <c>gorgias.installations</c> gauge: one per status present, none for an absent one.</summary>
    [Fact]
    public async Task CountByStatus_CountsEveryStoredInstallationUnderItsStatus()
    {
        await using var storage = await CreateStorageAsync();
        var counter = storage.Counter ?? throw new InvalidOperationException("The adapter under test supplies no IInstallationCounter.");
        Assert.Empty(await counter.CountByStatusAsync(CancellationToken.None));

        foreach (var account in (string[])["acme", "globex", "initech"])
        {
            await InstallAsync(storage, account);
        }

        await storage.Installations.SaveAsync(Installation.Start(Account("pending"), T0), CancellationToken.None);
        var tokens = (await storage.TokenSets.FindAsync(Account("initech"), CancellationToken.None))!;
        await storage.Uninstalls.RecordUninstallAsync(await UninstalledAsync(storage, "initech"), tokens, null, CancellationToken.None);

        var counts = await counter.CountByStatusAsync(CancellationToken.None);

        Assert.Equal(
            new Dictionary<InstallationStatus, long> { [InstallationStatus.Active] = 2, [InstallationStatus.Uninstalled] = 1, [InstallationStatus.Pending] = 1 },
            counts.ToDictionary());
    }
}

using System.Text;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Domain.Installations;
using Xunit;

namespace Gorgias.Integration.Testing.Storage;

public abstract partial class StorageConformanceTests
{
    /// <summary>An uninstall stores all three of its writes: installation uninstalled, tokens gone, revocation queued.</summary>
    [Fact]
    public async Task Uninstall_UninstallsDeletesTheTokensAndQueuesTheRevocation_Together()
    {
        await using var storage = await CreateStorageAsync();
        var tokens = await InstallAsync(storage, "acme");
        var installation = await UninstalledAsync(storage, "acme");
        var revocation = PendingRevocation.Start(Account("acme"), tokens.RefreshToken, T0.AddMinutes(1));

        await storage.Uninstalls.RecordUninstallAsync(installation, tokens, revocation, CancellationToken.None);

        Assert.Equal(InstallationStatus.Uninstalled, (await storage.Installations.FindAsync(Account("acme"), CancellationToken.None))!.Status);
        Assert.Null(await storage.TokenSets.FindAsync(Account("acme"), CancellationToken.None));
        Assert.Equal(revocation, await storage.PendingRevocations.FindAsync(Account("acme"), CancellationToken.None));
        Assert.Equal([revocation], await storage.PendingRevocations.ListDueAsync(revocation.NextAttemptAt, 10, CancellationToken.None));
    }

    /// <summary>
    /// An uninstall that cannot store one of its writes stores none: not over another queued token, not over tokens
    /// refreshed since they were read, not from a stale installation.
    /// </summary>
    [Fact]
    public async Task Uninstall_ThatConflictsOnAnyOfItsWrites_StoresNothing()
    {
        await using var storage = await CreateStorageAsync();
        var first = await InstallAsync(storage, "acme");
        var queued = PendingRevocation.Start(Account("acme"), first.RefreshToken, T0.AddMinutes(1));
        await storage.Uninstalls.RecordUninstallAsync(await UninstalledAsync(storage, "acme"), first, queued, CancellationToken.None);
        var read = await InstallAsync(storage, "acme", T0.AddMinutes(2));
        var refreshed = await storage.TokenSets.SaveAsync(read.Refreshed(Grant(), T0.AddMinutes(3)), CancellationToken.None);
        var stale = await UninstalledAsync(storage, "acme");
        var failing = (await storage.Installations.FindAsync(Account("acme"), CancellationToken.None))!;
        failing.MarkRefreshFailing("temporarily_unavailable", 3, T0.AddMinutes(3));
        await storage.Installations.SaveAsync(failing, CancellationToken.None);
        var uninstalled = await UninstalledAsync(storage, "acme");
        var another = PendingRevocation.Start(Account("acme"), refreshed.RefreshToken, T0.AddMinutes(4));

        await Assert.ThrowsAsync<ConcurrencyException>(() => storage.Uninstalls.RecordUninstallAsync(uninstalled, refreshed, another, CancellationToken.None));
        await Assert.ThrowsAsync<ConcurrencyException>(() => storage.Uninstalls.RecordUninstallAsync(uninstalled, read, null, CancellationToken.None));
        await Assert.ThrowsAsync<ConcurrencyException>(() => storage.Uninstalls.RecordUninstallAsync(uninstalled, null, null, CancellationToken.None));
        await Assert.ThrowsAsync<ConcurrencyException>(() => storage.Uninstalls.RecordUninstallAsync(stale, refreshed, null, CancellationToken.None));

        Assert.Equal(InstallationStatus.RefreshFailing, (await storage.Installations.FindAsync(Account("acme"), CancellationToken.None))!.Status);
        Assert.Equal(refreshed.AccessToken, (await storage.TokenSets.FindAsync(Account("acme"), CancellationToken.None))!.AccessToken);
        Assert.Equal(queued, await storage.PendingRevocations.FindAsync(Account("acme"), CancellationToken.None));
    }

    /// <summary>A re-install's token set continues after every version the account had: a refresh read before never matches.</summary>
    [Fact]
    public async Task TokenSetVersions_NeverRepeat_AcrossUninstallAndReinstall()
    {
        await using var storage = await CreateStorageAsync();
        var seen = new List<long>();
        for (var round = 0; round < 3; round++)
        {
            await InstallAsync(storage, "acme", T0.AddHours(round));
            var stored = (await storage.TokenSets.FindAsync(Account("acme"), CancellationToken.None))!;
            var refreshed = await storage.TokenSets.SaveAsync(stored.Refreshed(Grant(), T0.AddHours(round).AddMinutes(1)), CancellationToken.None);
            seen.AddRange([stored.Version, refreshed.Version]);
            await storage.Uninstalls.RecordUninstallAsync(await UninstalledAsync(storage, "acme"), refreshed, null, CancellationToken.None);
            await Assert.ThrowsAsync<ConcurrencyException>(() =>
                storage.TokenSets.SaveAsync(stored.Refreshed(Grant(), T0.AddHours(round).AddMinutes(2)), CancellationToken.None));
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(seen.Order(), seen);
    }

    /// <summary>A pending revocation is claimed once: a stale reschedule or delete is refused with <see cref="ConcurrencyException"/>.</summary>
    [Fact]
    public async Task PendingRevocation_StaleRescheduleOrDelete_IsRefusedWithConcurrencyException()
    {
        await using var storage = await CreateStorageAsync();
        var tokens = await InstallAsync(storage, "acme");
        var queued = PendingRevocation.Start(Account("acme"), tokens.RefreshToken, T0);
        await storage.Uninstalls.RecordUninstallAsync(await UninstalledAsync(storage, "acme"), tokens, queued, CancellationToken.None);

        var claimed = queued.Claim(T0.AddMinutes(2));
        await storage.PendingRevocations.RescheduleAsync(queued, claimed, CancellationToken.None);
        await Assert.ThrowsAsync<ConcurrencyException>(() => storage.PendingRevocations.RescheduleAsync(queued, queued.Claim(T0.AddMinutes(2)), CancellationToken.None));
        await Assert.ThrowsAsync<ConcurrencyException>(() =>
            storage.PendingRevocations.DeleteAsync(claimed with { RefreshToken = "another-token" }, CancellationToken.None));
        Assert.Equal(claimed, await storage.PendingRevocations.FindAsync(Account("acme"), CancellationToken.None));

        await storage.PendingRevocations.DeleteAsync(claimed, CancellationToken.None);
        Assert.Null(await storage.PendingRevocations.FindAsync(Account("acme"), CancellationToken.None));
        await Assert.ThrowsAsync<ConcurrencyException>(() => storage.PendingRevocations.DeleteAsync(claimed, CancellationToken.None));
    }

    /// <summary>No token, and no used request's id, code verifier or nonce, is anywhere in the bytes the adapter stores.</summary>
    [Fact]
    public async Task StoredBytes_HoldNoPlaintextSecret()
    {
        await using var storage = await CreateStorageAsync();
        var request = Request("acme");
        Assert.True(await storage.AuthorizationRequests.TryConsumeAsync(request, CancellationToken.None));
        var first = await InstallAsync(storage, "acme");
        var second = await InstallAsync(storage, "beta");
        await storage.Uninstalls.RecordUninstallAsync(await UninstalledAsync(storage, "beta"), second,
            PendingRevocation.Start(Account("beta"), second.RefreshToken, T0), CancellationToken.None);
        string[] secrets = [first.AccessToken, first.RefreshToken, second.RefreshToken, request.State, request.CodeVerifier!, request.Nonce];

        var stored = await storage.ReadRawStoredBytes();

        Assert.NotEmpty(stored);
        Assert.All(secrets, secret => Assert.DoesNotContain(stored, bytes => bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) >= 0));
        Assert.Contains(stored, bytes => bytes.AsSpan().IndexOf("acme"u8) >= 0); // the scan reads what is really stored
    }

    private static async Task<Installation> UninstalledAsync(StorageUnderTest storage, string account)
    {
        var installation = (await storage.Installations.FindAsync(Account(account), CancellationToken.None))!;
        installation.Uninstall(T0.AddMinutes(1));
        return installation;
    }
}

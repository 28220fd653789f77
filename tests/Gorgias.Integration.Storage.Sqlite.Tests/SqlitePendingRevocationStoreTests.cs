using System.Security.Cryptography;
using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Gorgias.Integration.Storage.Sqlite.Tests.TestData;

namespace Gorgias.Integration.Storage.Sqlite.Tests;

/// <summary><see cref="SqliteInstallTransactions.RecordUninstallAsync"/> and <see cref="SqlitePendingRevocationStore"/> on a real file.</summary>
public sealed class SqlitePendingRevocationStoreTests : IDisposable
{
    private static readonly DateTimeOffset T1 = T0.AddHours(1);

    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Uninstall_WithARevocationToRetry_SavesTheInstallation_DeletesTheTokens_AndQueuesTheTokenInOneTransaction()
    {
        var (store, pending) = Open();
        var tokens = await InstallAsync(store, Account("acme"), T0);
        var installation = await UninstalledAsync(store, "acme");

        await store.Transactions.RecordUninstallAsync(installation, await StoredAsync(store, "acme"), Revocation("acme", tokens.RefreshToken), CancellationToken.None);

        var found = (await store.Installations.FindAsync(Account("acme"), CancellationToken.None))!;
        Assert.Equal((InstallationStatus.Uninstalled, 2L), (found.Status, found.Version));
        Assert.Null(await store.Tokens.FindAsync(Account("acme"), CancellationToken.None));
        Assert.Equal(Revocation("acme", tokens.RefreshToken), await pending.FindAsync(Account("acme"), CancellationToken.None));
    }

    [Fact]
    public async Task Uninstall_WithoutARevocation_DeletesTheTokens_AndQueuesNothing()
    {
        var (store, pending) = Open();
        await InstallAsync(store, Account("acme"), T0);

        await store.Transactions.RecordUninstallAsync(await UninstalledAsync(store, "acme"), await StoredAsync(store, "acme"), null, CancellationToken.None);

        Assert.Null(await store.Tokens.FindAsync(Account("acme"), CancellationToken.None));
        Assert.Null(await pending.FindAsync(Account("acme"), CancellationToken.None));
        Assert.Equal(0, await ScalarAsync<long>(store, "SELECT COUNT(*) FROM pending_revocations"));
    }

    [Fact]
    public async Task Uninstall_OfAStaleInstallation_ThrowsConcurrency_AndChangesNothing()
    {
        var (store, pending) = Open();
        var tokens = await InstallAsync(store, Account("acme"), T0);
        var stale = await UninstalledAsync(store, "acme");
        var winner = (await store.Installations.FindAsync(Account("acme"), CancellationToken.None))!;
        winner.Activate(Scopes, T1);
        await store.Installations.SaveAsync(winner, CancellationToken.None);

        await Assert.ThrowsAsync<ConcurrencyException>(async () => await
            store.Transactions.RecordUninstallAsync(stale, await StoredAsync(store, "acme"), Revocation("acme", tokens.RefreshToken), CancellationToken.None));

        Assert.Equal(InstallationStatus.Active, (await store.Installations.FindAsync(Account("acme"), CancellationToken.None))!.Status);
        Assert.Equal(tokens.RefreshToken, (await store.Tokens.FindAsync(Account("acme"), CancellationToken.None))!.RefreshToken);
        Assert.Null(await pending.FindAsync(Account("acme"), CancellationToken.None));
    }

    [Fact]
    public async Task Uninstall_WhenAnotherTokenIsAlreadyQueued_ThrowsConcurrency_AndKeepsEverything()
    {
        var (store, pending) = Open();
        var first = await InstallAsync(store, Account("acme"), T0);
        await store.Transactions.RecordUninstallAsync(await UninstalledAsync(store, "acme"), await StoredAsync(store, "acme"), Revocation("acme", first.RefreshToken), CancellationToken.None);
        var reinstalled = await ReinstallAndPrepareUninstallAsync(store, "acme");

        await Assert.ThrowsAsync<ConcurrencyException>(async () => await store.Transactions.RecordUninstallAsync(
            reinstalled.Installation, await StoredAsync(store, "acme"), Revocation("acme", reinstalled.RefreshToken), CancellationToken.None));

        Assert.Equal(InstallationStatus.Active, (await store.Installations.FindAsync(Account("acme"), CancellationToken.None))!.Status);
        Assert.Equal(reinstalled.RefreshToken, (await store.Tokens.FindAsync(Account("acme"), CancellationToken.None))!.RefreshToken);
        Assert.Equal(first.RefreshToken, (await pending.FindAsync(Account("acme"), CancellationToken.None))!.RefreshToken);
    }

    [Fact]
    public async Task Row40_Uninstall_OfATokenSetRefreshedSinceItWasRead_ThrowsConcurrency_AndKeepsTheNewTokens()
    {
        var (store, pending) = Open();
        await InstallAsync(store, Account("acme"), T0);
        var read = (await StoredAsync(store, "acme"))!;
        var refreshed = await store.Tokens.SaveAsync(read.Refreshed(Grant(), T1), CancellationToken.None);

        await Assert.ThrowsAsync<ConcurrencyException>(async () => await store.Transactions.RecordUninstallAsync(
            await UninstalledAsync(store, "acme"), read, Revocation("acme", read.RefreshToken), CancellationToken.None));

        Assert.Equal(InstallationStatus.Active, (await store.Installations.FindAsync(Account("acme"), CancellationToken.None))!.Status);
        Assert.Equal((refreshed.AccessToken, refreshed.Version), ((await StoredAsync(store, "acme"))!.AccessToken, (await StoredAsync(store, "acme"))!.Version));
        Assert.Null(await pending.FindAsync(Account("acme"), CancellationToken.None));
    }

    [Fact]
    public async Task Row40_AReinstallAfterAnUninstall_ContinuesTheTokenSetVersion_NeverRepeatingOne()
    {
        var (store, _) = Open();
        await InstallAsync(store, Account("acme"), T0);
        var first = (await StoredAsync(store, "acme"))!;
        var refreshed = await store.Tokens.SaveAsync(first.Refreshed(Grant(), T1), CancellationToken.None);
        await store.Transactions.RecordUninstallAsync(await UninstalledAsync(store, "acme"), refreshed, null, CancellationToken.None);

        var reinstalled = (await ReinstallAndPrepareUninstallAsync(store, "acme")).RefreshToken;
        var stored = (await StoredAsync(store, "acme"))!;

        Assert.Equal(reinstalled, stored.RefreshToken);
        Assert.Equal(refreshed.Version + 1, stored.Version);
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.Tokens.SaveAsync(first.Refreshed(Grant(), T1), CancellationToken.None));
    }

    [Fact]
    public async Task Uninstall_OfAnInstallationThatIsNotUninstalled_IsRefused()
    {
        var (store, _) = Open();
        await InstallAsync(store, Account("acme"), T0);
        var active = (await store.Installations.FindAsync(Account("acme"), CancellationToken.None))!;

        await Assert.ThrowsAsync<ArgumentException>(() => store.Transactions.RecordUninstallAsync(active, null, null, CancellationToken.None));
        Assert.NotNull(await store.Tokens.FindAsync(Account("acme"), CancellationToken.None));
    }

    [Fact]
    public async Task ListDue_ReturnsOnlyDueEntries_SoonestFirst_UpToTheLimit()
    {
        var (store, pending) = Open();
        await QueueAsync(store, "later", T1.AddMinutes(5));
        await QueueAsync(store, "second", T1);
        await QueueAsync(store, "first", T1.AddMinutes(-5));
        await QueueAsync(store, "third", T1.AddMinutes(-1));

        var due = await pending.ListDueAsync(T1, 10, CancellationToken.None);
        var limited = await pending.ListDueAsync(T1, 2, CancellationToken.None);

        Assert.Equal(["first", "third", "second"], due.Select(d => d.Account.Value));
        Assert.Equal(["first", "third"], limited.Select(d => d.Account.Value));
        Assert.All(due, d => Assert.StartsWith("refresh-", d.RefreshToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reschedule_IsACompareAndSetOnTheTokenAndTheAttempts()
    {
        var (store, pending) = Open();
        var queued = await QueueAsync(store, "acme", T1);

        var claimed = queued with { Attempts = 2, NextAttemptAt = T1.AddMinutes(2) };
        await pending.RescheduleAsync(queued, claimed, CancellationToken.None);
        await Assert.ThrowsAsync<ConcurrencyException>(() => pending.RescheduleAsync(queued, claimed, CancellationToken.None));
        var stranger = queued with { Attempts = 2, RefreshToken = "another-token" };
        await Assert.ThrowsAsync<ConcurrencyException>(() =>
            pending.RescheduleAsync(stranger, stranger with { Attempts = 3, NextAttemptAt = T1 }, CancellationToken.None));

        var found = (await pending.FindAsync(Account("acme"), CancellationToken.None))!;
        Assert.Equal((2, T1.AddMinutes(2), queued.RefreshToken, queued.CreatedAt), (found.Attempts, found.NextAttemptAt, found.RefreshToken, found.CreatedAt));
    }

    [Fact]
    public async Task Delete_RemovesOnlyTheEntryHoldingTheSameToken()
    {
        var (store, pending) = Open();
        var queued = await QueueAsync(store, "acme", T1);

        await Assert.ThrowsAsync<ConcurrencyException>(() => pending.DeleteAsync(queued with { RefreshToken = "another-token" }, CancellationToken.None));
        Assert.NotNull(await pending.FindAsync(Account("acme"), CancellationToken.None));
        await pending.DeleteAsync(queued with { Attempts = 7 }, CancellationToken.None);
        Assert.Null(await pending.FindAsync(Account("acme"), CancellationToken.None));
        await Assert.ThrowsAsync<ConcurrencyException>(() => pending.DeleteAsync(queued, CancellationToken.None));
    }

    [Fact]
    public async Task PendingCiphertext_CopiedIntoAnotherAccountsRow_FailsToDecrypt()
    {
        var (store, pending) = Open();
        await QueueAsync(store, "alpha", T1);
        await QueueAsync(store, "beta", T1);

        await ExecuteAsync(store, """
            UPDATE pending_revocations SET refresh_token = (SELECT refresh_token FROM pending_revocations WHERE account = 'alpha')
            WHERE account = 'beta'
            """);

        var error = await Assert.ThrowsAsync<CryptographicException>(() => pending.FindAsync(Account("beta"), CancellationToken.None));
        Assert.Contains("refresh_token of account 'beta'", error.Message, StringComparison.Ordinal);
        Assert.NotNull(await pending.FindAsync(Account("alpha"), CancellationToken.None));
    }

    [Fact]
    public async Task Row29_Row30_PendingToken_IsNeverPlaintextInTheFiles_AndItsCiphertextIsGoneAfterDeleteAndCheckpoint()
    {
        var (store, pending) = Open();
        var queued = await QueueAsync(store, "acme", T1);
        var ciphertext = await ScalarAsync<byte[]>(store, "SELECT refresh_token FROM pending_revocations");

        Assert.NotEmpty(_db.FilesContaining(ciphertext));
        Assert.Empty(_db.FilesContaining(queued.RefreshToken));
        await CheckpointAsync(store);
        Assert.Contains("integration.db", _db.FilesContaining(ciphertext));
        Assert.Empty(_db.FilesContaining(queued.RefreshToken));

        await pending.DeleteAsync(queued, CancellationToken.None);
        await CheckpointAsync(store);

        Assert.Empty(_db.FilesContaining(ciphertext));
        Assert.Empty(_db.FilesContaining(queued.RefreshToken));
    }

    [Fact]
    public async Task AddGorgiasSqliteStorage_RegistersThePendingRevocationStore()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Integration"] = _db.ConnectionString,
                ["DataProtection:KeysPath"] = _db.KeysFolder,
            })
            .Build();
        var services = new ServiceCollection().AddLogging().AddGorgiasSqliteStorage(configuration);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.IsType<SqlitePendingRevocationStore>(provider.GetRequiredService<IPendingRevocationStore>());
        Assert.Same(provider.GetRequiredService<IPendingRevocationStore>(), provider.GetRequiredService<IPendingRevocationStore>());
    }

    private (Store Store, SqlitePendingRevocationStore Pending) Open()
    {
        var store = _db.Open();
        return (store, new SqlitePendingRevocationStore(store.Database, new SecretProtector(_db.CreateProvider())));
    }

    private static PendingRevocation Revocation(string account, string refreshToken, DateTimeOffset? nextAttemptAt = null) =>
        new(Account(account), refreshToken, 1, nextAttemptAt ?? T1.AddMinutes(1), T1);

    private static async Task<Domain.Tokens.TokenSet?> StoredAsync(Store store, string account) =>
        await store.Tokens.FindAsync(Account(account), CancellationToken.None);

    private static async Task<Installation> UninstalledAsync(Store store, string account)
    {
        var installation = (await store.Installations.FindAsync(Account(account), CancellationToken.None))!;
        installation.Uninstall(T1);
        return installation;
    }

    private static async Task<(Installation Installation, string RefreshToken)> ReinstallAndPrepareUninstallAsync(Store store, string account)
    {
        var installation = (await store.Installations.FindAsync(Account(account), CancellationToken.None))!;
        installation.Activate(Scopes, T1);
        var tokens = Domain.Tokens.TokenSet.Issue(Account(account), Grant(), T1);
        await store.Transactions.RecordInstallAsync(installation, tokens, CancellationToken.None);
        var reloaded = (await store.Installations.FindAsync(Account(account), CancellationToken.None))!;
        reloaded.Uninstall(T1);
        return (reloaded, tokens.RefreshToken);
    }

    /// <summary>Installs <paramref name="account"/> and uninstalls it with its refresh token queued, due at <paramref name="nextAttemptAt"/>.</summary>
    private static async Task<PendingRevocation> QueueAsync(Store store, string account, DateTimeOffset nextAttemptAt)
    {
        var tokens = await InstallAsync(store, Account(account), T0);
        var revocation = Revocation(account, tokens.RefreshToken, nextAttemptAt);
        await store.Transactions.RecordUninstallAsync(await UninstalledAsync(store, account), await StoredAsync(store, account), revocation, CancellationToken.None);
        return revocation;
    }

    private static async Task CheckpointAsync(Store store)
    {
        await using var connection = await store.Database.OpenAsync(CancellationToken.None);
        var (busy, _, _) = await connection.QuerySingleAsync<(long, long, long)>("PRAGMA wal_checkpoint(TRUNCATE)");
        Assert.Equal(0, busy);
    }
}

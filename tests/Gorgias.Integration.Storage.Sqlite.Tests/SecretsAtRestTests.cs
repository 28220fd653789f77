using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using static Gorgias.Integration.Storage.Sqlite.Tests.TestData;

namespace Gorgias.Integration.Storage.Sqlite.Tests;

public sealed class SecretsAtRestTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Row8_Row29_DatabaseFiles_HoldNoPlaintextSecrets_WhileOpenAndAfterClosing()
    {
        var store = _db.Open();
        var tokens = await InstallAsync(store, Account("acme"), T0);
        var request = Request(Account("acme"), T0);
        Assert.True(await store.Requests.TryConsumeAsync(request, CancellationToken.None));
        string[] secrets = [tokens.AccessToken, tokens.RefreshToken, request.State, request.Nonce, request.CodeVerifier!];
        var accessCiphertext = await ScalarAsync<byte[]>(store, "SELECT access_token FROM token_sets");
        var usedStateHash = await ScalarAsync<byte[]>(store, "SELECT state_hash FROM used_authorization_requests");

        // While connections are open the writes sit in the WAL: the scan must see them there.
        Assert.True(new FileInfo(_db.DatabasePath + "-wal").Length > 0);
        Assert.NotEmpty(_db.FilesContaining(accessCiphertext));
        Assert.NotEmpty(_db.FilesContaining(usedStateHash));
        Assert.All(secrets, secret => Assert.Empty(_db.FilesContaining(secret)));

        _db.CloseConnections();

        Assert.Contains("integration.db", _db.FilesContaining(accessCiphertext));
        Assert.All(secrets, secret => Assert.Empty(_db.FilesContaining(secret)));

        // The secrets were stored (encrypted), not dropped: a new process reads them back.
        var reopened = _db.Open();
        Assert.Equal(tokens.RefreshToken, (await reopened.Tokens.FindAsync(Account("acme"), CancellationToken.None))!.RefreshToken);
        Assert.False(await reopened.Requests.TryConsumeAsync(request, CancellationToken.None));
    }

    [Fact]
    public async Task Row30_ReplacedAndDeletedTokenCiphertext_IsGoneFromDatabaseFilesAfterCheckpoint()
    {
        var store = _db.Open();
        await InstallAsync(store, Account("acme"), T0);
        var oldAccess = await ScalarAsync<byte[]>(store, "SELECT access_token FROM token_sets");
        var oldRefresh = await ScalarAsync<byte[]>(store, "SELECT refresh_token FROM token_sets");
        Assert.NotEmpty(_db.FilesContaining(oldAccess));

        var loaded = (await store.Tokens.FindAsync(Account("acme"), CancellationToken.None))!;
        await store.Tokens.SaveAsync(loaded.Refreshed(Grant(refreshToken: "rotated-refresh-token"), T0.AddHours(1)), CancellationToken.None);
        var newAccess = await ScalarAsync<byte[]>(store, "SELECT access_token FROM token_sets");
        await CheckpointAsync(store);

        Assert.Empty(_db.FilesContaining(oldAccess));
        Assert.Empty(_db.FilesContaining(oldRefresh));
        Assert.NotEmpty(_db.FilesContaining(newAccess));

        Assert.Equal(1, await ExecuteAsync(store, "DELETE FROM token_sets WHERE account = 'acme'"));
        await CheckpointAsync(store);

        Assert.Empty(_db.FilesContaining(newAccess));
    }

    [Fact]
    public async Task TokenCiphertext_CopiedIntoAnotherAccountsRow_FailsToDecryptWithAClearError()
    {
        var store = _db.Open();
        await InstallAsync(store, Account("alpha"), T0);
        await InstallAsync(store, Account("beta"), T0);

        await ExecuteAsync(store, """
            UPDATE token_sets SET access_token = (SELECT access_token FROM token_sets WHERE account = 'alpha')
            WHERE account = 'beta'
            """);

        var error = await Assert.ThrowsAsync<CryptographicException>(() =>
            store.Tokens.FindAsync(Account("beta"), CancellationToken.None));
        Assert.Contains("access_token of account 'beta'", error.Message, StringComparison.Ordinal);
        Assert.NotNull(await store.Tokens.FindAsync(Account("alpha"), CancellationToken.None));
    }

    [Fact]
    public async Task AccessTokenCiphertext_CopiedIntoTheRefreshTokenColumn_FailsToDecrypt()
    {
        var store = _db.Open();
        await InstallAsync(store, Account("alpha"), T0);

        await ExecuteAsync(store, "UPDATE token_sets SET refresh_token = access_token");

        var error = await Assert.ThrowsAsync<CryptographicException>(() =>
            store.Tokens.FindAsync(Account("alpha"), CancellationToken.None));
        Assert.Contains("refresh_token of account 'alpha'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reopen_WithNewInstancesOnTheSameFileAndKeys_KeepsEverything()
    {
        var store = _db.Open();
        await InstallAsync(store, Account("acme"), T0);
        var loaded = (await store.Tokens.FindAsync(Account("acme"), CancellationToken.None))!;
        var refreshed = await store.Tokens.SaveAsync(loaded.Refreshed(Grant(), T0.AddHours(1)), CancellationToken.None);
        var request = Request(Account("acme"), T0);
        Assert.True(await store.Requests.TryConsumeAsync(request, CancellationToken.None));
        var installation = (await store.Installations.FindAsync(Account("acme"), CancellationToken.None))!;
        _db.CloseConnections();

        var reopened = _db.Open(_db.CreateProvider());
        var foundInstallation = (await reopened.Installations.FindAsync(Account("acme"), CancellationToken.None))!;
        var foundTokens = (await reopened.Tokens.FindAsync(Account("acme"), CancellationToken.None))!;
        var usedAgain = await reopened.Requests.TryConsumeAsync(request, CancellationToken.None);

        Assert.Equal((installation.Status, installation.Version, installation.ActivatedAt),
            (foundInstallation.Status, foundInstallation.Version, foundInstallation.ActivatedAt));
        Assert.Equal((refreshed.AccessToken, refreshed.RefreshToken, refreshed.ExpiresAt, refreshed.Version),
            (foundTokens.AccessToken, foundTokens.RefreshToken, foundTokens.ExpiresAt, foundTokens.Version));
        Assert.Equal(2, foundTokens.Version);
        Assert.False(usedAgain); // the used request is still recorded after the reopen
    }

    [Fact]
    public async Task Reopen_WithAnotherKeyRing_FailsToDecryptInsteadOfReturningWrongData()
    {
        var store = _db.Open();
        await InstallAsync(store, Account("acme"), T0);
        _db.CloseConnections();

        var otherKeys = Path.Combine(_db.Folder, "other-keys");
        var stranger = _db.Open(DataProtectionProvider.Create(new DirectoryInfo(otherKeys)));

        var error = await Assert.ThrowsAsync<CryptographicException>(() =>
            stranger.Tokens.FindAsync(Account("acme"), CancellationToken.None));
        Assert.Contains("DataProtection:KeysPath", error.Message, StringComparison.Ordinal);
    }

    private static async Task CheckpointAsync(Store store)
    {
        await using var connection = await store.Database.OpenAsync(CancellationToken.None);
        var (busy, _, _) = await connection.QuerySingleAsync<(long, long, long)>("PRAGMA wal_checkpoint(TRUNCATE)");
        Assert.Equal(0, busy);
    }
}

using Gorgias.Integration.Application.Installations.RetryRevocations;
using Gorgias.Integration.Application.Installations.Uninstall;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Testing;
using static Gorgias.Integration.Application.Tests.Tokens.TokenTestKit;

namespace Gorgias.Integration.Application.Tests;

/// <summary>The revocation retry (row 27) when one queued entry cannot be read.</summary>
public sealed class RevocationRetryTests
{
    [Fact]
    public async Task Retry_WithOneEntryThatCannotBeDecrypted_RevokesTheOthers_LogsItsAccount_AndPostponesIt()
    {
        var time = NewClock();
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        await using var failing = await Maintenance.StartAsync();
        using var storage = new SharedStorage();
        await using var core = IntegrationCore.Create(sandbox, storage, time);
        await using var cutOff = IntegrationCore.Create(sandbox, storage, time,
            settings: new Dictionary<string, string?> { ["Gorgias:BaseUrlTemplate"] = failing.BaseUrlTemplate });
        foreach (var account in new[] { "alpha", "bravo", "charlie" })
        {
            await core.InstallAsync(account);
            Assert.False((await cutOff.SendAsync(new UninstallCommand(account))).Value!.Revoked);
        }

        // The row was altered (or its key lost): it no longer decrypts.
        await ExecuteRawAsync(storage, "UPDATE pending_revocations SET refresh_token = X'00010203' WHERE account = 'alpha'");
        time.Advance(PendingRevocation.FirstRetry + TimeSpan.FromSeconds(1));
        var listedAt = time.GetUtcNow();

        var retried = await core.SendAsync(new RetryPendingRevocationsCommand());

        Assert.Equal(new RetryPendingRevocationsResult(2, 0), retried);
        Assert.Equal(2, sandbox.Monitor.Revocations);
        Assert.Equal(["alpha"], await PendingAccountsAsync(storage));
        var attempts = await storage.ScalarAsync<long>("SELECT attempts FROM pending_revocations");
        var nextAttemptAt = await storage.ScalarAsync<long>("SELECT next_attempt_at FROM pending_revocations");
        Assert.Equal(2, attempts);
        Assert.True(nextAttemptAt > listedAt.ToUnixTimeMilliseconds(), "the unreadable entry is tried again later, not at once");
        Assert.Contains(storage.Logs, line => line.Contains("account alpha cannot be decrypted", StringComparison.Ordinal));

        // Still postponed: the next run leaves it alone instead of failing on it again.
        Assert.Equal(new RetryPendingRevocationsResult(0, 0), await core.SendAsync(new RetryPendingRevocationsCommand()));
    }

    private static async Task<string[]> PendingAccountsAsync(SharedStorage storage)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"{storage.ConnectionString};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT account FROM pending_revocations ORDER BY account";
        var accounts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            accounts.Add(reader.GetString(0));
        }

        return [.. accounts];
    }
}

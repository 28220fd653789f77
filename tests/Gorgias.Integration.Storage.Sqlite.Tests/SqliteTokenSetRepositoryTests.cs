using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Domain.Tokens;
using Microsoft.Data.Sqlite;
using static Gorgias.Integration.Storage.Sqlite.Tests.TestData;

namespace Gorgias.Integration.Storage.Sqlite.Tests;

public sealed class SqliteTokenSetRepositoryTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Find_AfterInstall_RoundTripsEveryField()
    {
        var store = _db.Open();
        var issued = await InstallAsync(store, Account("acme"), T0);

        var found = await store.Tokens.FindAsync(Account("acme"), CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal(Account("acme"), found.Account);
        Assert.Equal(issued.AccessToken, found.AccessToken);
        Assert.Equal(issued.RefreshToken, found.RefreshToken);
        Assert.Equal(T0.AddHours(1), found.ExpiresAt);
        Assert.Equal(Scopes, found.Scopes);
        Assert.Equal("Bearer", found.TokenType);
        Assert.Equal(T0, found.IssuedAt);
        Assert.Equal(1, found.Version);
    }

    [Fact]
    public async Task Find_WhenAccountHasNoTokens_ReturnsNull()
    {
        var store = _db.Open();
        await InstallAsync(store, Account("acme"), T0);

        Assert.Null(await store.Tokens.FindAsync(Account("other"), CancellationToken.None));
    }

    [Fact]
    public async Task Save_OfARefreshedSet_StoresItAndReturnsItWithTheNewVersion()
    {
        var store = _db.Open();
        await InstallAsync(store, Account("acme"), T0);
        var loaded = (await store.Tokens.FindAsync(Account("acme"), CancellationToken.None))!;
        var refreshed = loaded.Refreshed(new TokenGrant("new-access-token", null, 7200, [], "bearer"), T0.AddMinutes(50));

        var saved = await store.Tokens.SaveAsync(refreshed, CancellationToken.None);

        Assert.Equal(2, saved.Version);
        var found = (await store.Tokens.FindAsync(Account("acme"), CancellationToken.None))!;
        Assert.Equal("new-access-token", found.AccessToken);
        Assert.Equal(loaded.RefreshToken, found.RefreshToken);
        Assert.Equal(T0.AddMinutes(50).AddHours(2), found.ExpiresAt);
        Assert.Equal(T0.AddMinutes(50), found.IssuedAt);
        Assert.Equal(Scopes, found.Scopes);
        Assert.Equal(2, found.Version);
        Assert.Equal((found.AccessToken, found.RefreshToken, found.ExpiresAt, found.IssuedAt),
            (saved.AccessToken, saved.RefreshToken, saved.ExpiresAt, saved.IssuedAt));
    }

    [Fact]
    public async Task Save_WhenVersionIsStale_ThrowsConcurrencyExceptionAndKeepsTheFirstWrite()
    {
        var store = _db.Open();
        await InstallAsync(store, Account("acme"), T0);
        var first = (await store.Tokens.FindAsync(Account("acme"), CancellationToken.None))!;
        var second = (await store.Tokens.FindAsync(Account("acme"), CancellationToken.None))!;

        await store.Tokens.SaveAsync(first.Refreshed(Grant(), T0.AddMinutes(1)), CancellationToken.None);
        var stored = (await store.Tokens.FindAsync(Account("acme"), CancellationToken.None))!;
        await Assert.ThrowsAsync<ConcurrencyException>(() =>
            store.Tokens.SaveAsync(second.Refreshed(Grant(), T0.AddMinutes(2)), CancellationToken.None));

        var after = (await store.Tokens.FindAsync(Account("acme"), CancellationToken.None))!;
        Assert.Equal(stored.AccessToken, after.AccessToken);
        Assert.Equal(stored.RefreshToken, after.RefreshToken);
        Assert.Equal(2, after.Version);
    }

    [Fact]
    public async Task Save_OfASetThatWasNeverStored_ThrowsConcurrencyException()
    {
        var store = _db.Open();
        await store.Installations.SaveAsync(Installed(Account("acme"), T0).Installation, CancellationToken.None);

        await Assert.ThrowsAsync<ConcurrencyException>(() =>
            store.Tokens.SaveAsync(TokenSet.Issue(Account("acme"), Grant(), T0), CancellationToken.None));

        Assert.Null(await store.Tokens.FindAsync(Account("acme"), CancellationToken.None));
    }

    [Fact]
    public async Task ListExpiring_ReturnsAccountsExpiringBeforeTheCutoff_SoonestFirst_UpToTheLimit()
    {
        var store = _db.Open();
        // Inserted out of order, so that insertion order cannot pass for expiry order.
        await InstallAsync(store, Account("delta"), T0, expiresAt: T0.AddMinutes(40));
        await InstallAsync(store, Account("alpha"), T0, expiresAt: T0.AddMinutes(30));
        await InstallAsync(store, Account("echo"), T0, expiresAt: T0.AddMinutes(5));
        await InstallAsync(store, Account("bravo"), T0, expiresAt: T0.AddMinutes(20));
        await InstallAsync(store, Account("late"), T0, expiresAt: T0.AddHours(5));

        var cutoff = T0.AddHours(1);
        var firstThree = await store.Access.ListExpiringAsync(cutoff, cutoff, 3, CancellationToken.None);
        var all = await store.Access.ListExpiringAsync(cutoff, cutoff, 100, CancellationToken.None);

        Assert.Equal(["echo", "bravo", "alpha"], firstThree.Select(a => a.Value));
        Assert.Equal(["echo", "bravo", "alpha", "delta"], all.Select(a => a.Value));
    }

    [Theory]
    [InlineData(SqliteAccessQueries.ListExpiringSql)]
    [InlineData(SqliteAccessQueries.ListDueFailingSql)]
    public async Task ListExpiring_IsServedByTheRefreshDueIndex_WithoutASort(string sql)
    {
        var store = _db.Open();
        await InstallAsync(store, Account("acme"), T0);

        await using var connection = await store.Database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        command.Parameters.AddWithValue("@ExpiringBefore", T0.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("@Now", T0.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("@ActiveStatus", 1);
        command.Parameters.AddWithValue("@FailingStatus", 4);
        command.Parameters.AddWithValue("@Limit", 10);
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(reader.GetOrdinal("detail")));
            }
        }

        var text = string.Join(" | ", plan);
        Assert.Contains("ix_token_sets_refresh_due", text, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListExpiring_WithANonPositiveLimit_IsRejected()
    {
        var store = _db.Open();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            store.Access.ListExpiringAsync(T0, T0, 0, CancellationToken.None));
    }

    [Fact]
    public async Task TokenSet_ForAnAccountWithoutInstallation_IsRejectedByTheForeignKey()
    {
        var store = _db.Open();

        var error = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(store, """
            INSERT INTO token_sets (account, access_token, refresh_token, expires_at, scopes, token_type, issued_at, version)
            VALUES ('ghost', x'00', x'00', 0, '', 'Bearer', 0, 1)
            """));

        Assert.Contains("FOREIGN KEY", error.Message, StringComparison.Ordinal);
    }
}

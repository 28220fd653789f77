using System.Buffers.Text;
using System.Security.Cryptography;
using Dapper;
using Gorgias.Integration.Domain.Authorization;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;

namespace Gorgias.Integration.Storage.Sqlite.Tests;

/// <summary>Explicit timestamps (millisecond precision, as stored) and fresh secrets for each test.</summary>
internal static class TestData
{
    public static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_123);

    public static readonly IReadOnlyList<string> Scopes = ["openid", "offline", "write:all"];

    public static AccountName Account(string name) => AccountName.Parse(name);

    public static string NewState() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static TokenGrant Grant(long expiresIn = 3600, string? refreshToken = null) =>
        new(TempDatabase.NewSecret("access"), refreshToken ?? TempDatabase.NewSecret("refresh"), expiresIn, Scopes, "Bearer");

    /// <summary>An active installation at version 0 with freshly issued tokens.</summary>
    public static (Installation Installation, TokenSet Tokens) Installed(AccountName account, DateTimeOffset now)
    {
        var installation = Installation.Start(account, now);
        installation.Activate(Scopes, now);
        return (installation, TokenSet.Issue(account, Grant(), now));
    }

    /// <summary>Installs <paramref name="account"/> with tokens expiring at <paramref name="expiresAt"/>.</summary>
    public static async Task<TokenSet> InstallAsync(Store store, AccountName account, DateTimeOffset now, DateTimeOffset? expiresAt = null)
    {
        var (installation, issued) = Installed(account, now);
        var tokens = expiresAt is { } at
            ? TokenSet.Restore(account, issued.AccessToken, issued.RefreshToken, at, issued.Scopes, issued.TokenType, now, 0)
            : issued;
        await store.Transactions.RecordInstallAsync(installation, tokens, CancellationToken.None);
        return tokens;
    }

    public static AuthorizationRequest Request(AccountName account, DateTimeOffset now, bool withVerifier = true,
        TimeSpan? lifetime = null) =>
        AuthorizationRequest.Create(account, NewState(), TempDatabase.NewSecret("nonce"),
            withVerifier ? Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(48)) : null,
            $"https://app.example.test/oauth/callback?account={account}",
            Convert.ToHexString(SHA256.HashData(RandomNumberGenerator.GetBytes(32))),
            now, lifetime ?? AuthorizationRequest.DefaultLifetime);

    /// <summary>Reads one column of one row with raw SQL, bypassing the adapters.</summary>
    public static async Task<T> ScalarAsync<T>(Store store, string sql, object? parameters = null)
    {
        await using var connection = await store.Database.OpenAsync(CancellationToken.None);
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    /// <summary>Reads one column of every row with raw SQL, bypassing the adapters.</summary>
    public static async Task<IEnumerable<T>> QueryAsync<T>(Store store, string sql, object? parameters = null)
    {
        await using var connection = await store.Database.OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<T>(sql, parameters)).ToList();
    }

    public static async Task<int> ExecuteAsync(Store store, string sql, object? parameters = null)
    {
        await using var connection = await store.Database.OpenAsync(CancellationToken.None);
        return await connection.ExecuteAsync(sql, parameters);
    }

    /// <summary>
    /// Runs <paramref name="count"/> calls on dedicated threads released together by one signal, so they really
    /// overlap (the SQLite driver's async methods complete synchronously).
    /// </summary>
    public static async Task<T[]> RunConcurrentlyAsync<T>(int count, Func<int, Task<T>> call)
    {
        using var start = new ManualResetEventSlim(false);
        var tasks = Enumerable.Range(0, count)
            .Select(i => Task.Factory.StartNew(() =>
            {
                start.Wait();
                return call(i);
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap())
            .ToArray();
        start.Set();
        return await Task.WhenAll(tasks);
    }
}

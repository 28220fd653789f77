using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Application.Tokens;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Gorgias.Integration.Testing;
using Mediator;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gorgias.Integration.Application.Tests.Tokens;

/// <summary>Small helpers shared by the token tests; the harness itself is <see cref="IntegrationCore"/> and <see cref="SandboxServer"/>.</summary>
internal static class TokenTestKit
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    public static readonly AccountName Acme = AccountName.Parse("acme");

    public static FakeTimeProvider NewClock() => new(T0);

    public static IGorgiasAccessTokenProvider Provider(this IntegrationCore core) =>
        core.Services.GetRequiredService<IGorgiasAccessTokenProvider>();

    public static Task<TokenSet?> StoredTokensAsync(this IntegrationCore core, string account) =>
        core.Services.GetRequiredService<ITokenSetRepository>().FindAsync(AccountName.Parse(account), CancellationToken.None);

    public static async Task<InstallationStatus?> StatusAsync(this IntegrationCore core, string account) =>
        (await core.Services.GetRequiredService<IInstallationRepository>().FindAsync(AccountName.Parse(account), CancellationToken.None))?.Status;

    public static async Task<string> AccessTokenAsync(this IntegrationCore core, string account) =>
        (await core.Provider().GetAccessTokenAsync(AccountName.Parse(account))).Value;

    /// <summary>Revokes a refresh token at the sandbox, as a user uninstalling the app in Gorgias would.</summary>
    public static async Task RevokeAtSandboxAsync(SandboxServer sandbox, string account, string refreshToken)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(sandbox.Address, $"sandbox/{account}/oauth/revoke"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = refreshToken }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{SandboxCredentials.ClientId}:{SandboxCredentials.ClientSecret}")));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Runs SQL on the database file behind the cores' backs (no pooling, so nothing is shared with them).</summary>
    public static async Task ExecuteRawAsync(SharedStorage storage, string sql)
    {
        await using var connection = new SqliteConnection($"{storage.ConnectionString};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<GorgiasAccessException> AccessFailsAsync(this IntegrationCore core, string account) =>
        await Assert.ThrowsAsync<GorgiasAccessException>(async () => await core.Provider().GetAccessTokenAsync(AccountName.Parse(account)));
}

/// <summary>A host app's notification handler: records what it receives.</summary>
internal sealed class RecordingHandler<TNotification> : INotificationHandler<TNotification>
    where TNotification : INotification
{
    public ConcurrentQueue<TNotification> Received { get; } = new();

    public ValueTask Handle(TNotification notification, CancellationToken cancellationToken)
    {
        Received.Enqueue(notification);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Stands between a core and the real authorization server to order two "processes" deterministically: before its
/// first refresh is forwarded, <paramref name="beforeFirstRefresh"/> runs (e.g. the other process refreshes meanwhile);
/// once Gorgias has answered it, <paramref name="afterFirstRefresh"/> runs before the answer is handed back (an answer
/// held in flight while the account is uninstalled and installed again).
/// </summary>
internal sealed class InterleavingAuthorizationServer(
    IGorgiasAuthorizationServer inner, Func<Task>? beforeFirstRefresh, Func<Task>? afterFirstRefresh = null) : IGorgiasAuthorizationServer
{
    private int _refreshes;

    public Task<TokenEndpointResult> ExchangeCodeAsync(CodeExchange exchange, CancellationToken cancellationToken) =>
        inner.ExchangeCodeAsync(exchange, cancellationToken);

    public async Task<TokenEndpointResult> RefreshAsync(AccountName account, string refreshToken, CancellationToken cancellationToken)
    {
        var first = Interlocked.Increment(ref _refreshes) == 1;
        if (first && beforeFirstRefresh is not null)
        {
            await beforeFirstRefresh();
        }

        var answer = await inner.RefreshAsync(account, refreshToken, cancellationToken);
        if (first && afterFirstRefresh is not null)
        {
            await afterFirstRefresh();
        }

        return answer;
    }

    public Task<RevocationResult> RevokeAsync(AccountName account, string refreshToken, CancellationToken cancellationToken) =>
        inner.RevokeAsync(account, refreshToken, cancellationToken);
}

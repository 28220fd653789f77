using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Installations.RefreshToken;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Storage.PostgreSql;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Gorgias.Integration.Application.Tests.Tokens.TokenTestKit;

namespace Gorgias.Integration.Application.Tests.Tokens;

/// <summary>
/// Two cores announcing their changes through one PostgreSQL database (their own data sources), with the tokens on a
/// shared SQLite file until the PostgreSQL storage lands: what one stores, the other's cache drops at once.
/// </summary>
public sealed class ChangeSignalTests : IAsyncLifetime
{
    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await PostgresServer.CreateDatabaseAsync();

    public Task DisposeAsync() => PostgresServer.DropDatabaseAsync(_connectionString);

    [Fact]
    public async Task ForcedRefreshOnOneInstance_IsServedByTheOthersCacheAtOnce_WithoutWaitingForRevalidation()
    {
        var time = NewClock();
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        using var storage = new SharedStorage();
        await using var first = IntegrationCore.Create(sandbox, storage, time, Announcing);
        await using var second = IntegrationCore.Create(sandbox, storage, time, Announcing);
        await ListeningAsync(first);
        await ListeningAsync(second);
        var installSeen = Dropped(second);
        await first.InstallAsync("acme");
        await installSeen;
        var before = await second.AccessTokenAsync("acme");
        var dropped = Dropped(second);

        var renewed = await first.SendAsync(new RefreshTokenCommand("acme"));
        Assert.True(renewed.IsSuccess, renewed.Error?.Message);
        await dropped; // the announcement reached the second instance; the clock has not moved

        var after = await second.AccessTokenAsync("acme");
        Assert.NotEqual(before, after);
        Assert.Equal((await first.StoredTokensAsync("acme"))!.AccessToken, after);
        await first.Services.GetRequiredService<PostgreSqlChangeListener>().StopAsync(default);
        await second.Services.GetRequiredService<PostgreSqlChangeListener>().StopAsync(default);
    }

    private void Announcing(IServiceCollection services)
    {
        services.AddSingleton(new PostgreSqlDatabase(NpgsqlDataSource.Create(_connectionString), "gorgias"));
        services.AddPostgreSqlCoordination();

        // The lease stays SQLite's here: the tokens live in the SQLite file.
        services.AddSingleton<IRefreshLease>(provider => ActivatorUtilities.CreateInstance<Storage.Sqlite.SqliteRefreshLease>(provider));
        services.AddSingleton<ObservedSink>();
        services.AddSingleton<ITokenChangeSink>(provider => provider.GetRequiredService<ObservedSink>());
    }

    private static async Task ListeningAsync(IntegrationCore core)
    {
        var connected = core.Services.GetRequiredService<ObservedSink>().NextMissed();
        await core.Services.GetRequiredService<PostgreSqlChangeListener>().StartAsync(default);
        await connected.WaitAsync(TimeSpan.FromSeconds(30));
    }

    // The 30 s is a guard against a hung run, not a timing assertion.
    private static Task Dropped(IntegrationCore core) => core.Services.GetRequiredService<ObservedSink>().NextChange().WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>The core's own sink, observed: completes a task when it receives something.</summary>
    private sealed class ObservedSink(IServiceProvider provider) : ITokenChangeSink
    {
        private readonly ITokenChangeSink _inner = ActivatorUtilities.CreateInstance<Application.Tokens.CacheInvalidatingTokenChangeSink>(provider);
        private TaskCompletionSource _changed = New();
        private TaskCompletionSource _missed = New();

        public Task NextChange() => _changed.Task;

        public Task NextMissed() => _missed.Task;

        public void AccountChanged(Domain.Installations.AccountName account)
        {
            _inner.AccountChanged(account);
            Interlocked.Exchange(ref _changed, New()).TrySetResult();
        }

        public void SignalsMayHaveBeenMissed()
        {
            _inner.SignalsMayHaveBeenMissed();
            Interlocked.Exchange(ref _missed, New()).TrySetResult();
        }

        private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Installations.RefreshToken;
using Gorgias.Integration.Application.Installations.Uninstall;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Application.Tokens;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Storage.PostgreSql;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Gorgias.Integration.Application.Tests.Tokens.TokenTestKit;

namespace Gorgias.Integration.Application.Tests.Tokens;

/// <summary>
/// Two cores (two service providers, their own data sources) announcing their changes through one PostgreSQL database:
/// what one stores, the other's cache drops at once, with the clock standing still (no revalidation). Each case runs
/// with the tokens on a shared SQLite file (the announcements alone from PostgreSQL) and on the PostgreSQL storage
/// adapter itself (tokens, lease, key ring and LISTEN/NOTIFY in the one database).
/// </summary>
public sealed class ChangeSignalTests : IAsyncLifetime
{
    private string _connectionString = "";

    public static TheoryData<string> Storages => new() { "Sqlite", "PostgreSql" };

    public async Task InitializeAsync() => _connectionString = await PostgresServer.CreateDatabaseAsync();

    public Task DisposeAsync() => PostgresServer.DropDatabaseAsync(_connectionString);

    [Theory]
    [MemberData(nameof(Storages))]
    public async Task ForcedRefreshOnOneInstance_IsServedByTheOthersCacheAtOnce_WithoutWaitingForRevalidation(string storage)
    {
        await using var pair = await InstallOnTwoAsync(storage, "acme");
        var (first, second) = (pair.First, pair.Second);
        var before = await second.AccessTokenAsync("acme");
        var dropped = Dropped(second);

        var renewed = await first.SendAsync(new RefreshTokenCommand("acme"));
        Assert.True(renewed.IsSuccess, renewed.Error?.Message);
        await dropped; // the announcement reached the second instance; the clock has not moved

        var after = await second.AccessTokenAsync("acme");
        Assert.NotEqual(before, after);
        Assert.Equal((await first.StoredTokensAsync("acme"))!.AccessToken, after);
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public async Task UninstallOnOneInstance_IsRefusedByTheOtherAtOnce_WithoutWaitingForRevalidation(string storage)
    {
        await using var pair = await InstallOnTwoAsync(storage, "acme");
        var (first, second) = (pair.First, pair.Second);
        Assert.False(string.IsNullOrEmpty(await second.AccessTokenAsync("acme"))); // cached on the second instance
        var dropped = Dropped(second);

        var uninstalled = await first.SendAsync(new UninstallCommand("acme"));
        Assert.True(uninstalled.IsSuccess, uninstalled.Error?.Message);
        await dropped;

        var refused = await Assert.ThrowsAsync<GorgiasAccessException>(() => second.AccessTokenAsync("acme"));
        Assert.Equal(ErrorKind.ReauthorizationRequired, refused.Error.Kind);
    }

    /// <summary>Two cores on <paramref name="storage"/> and one sandbox, <paramref name="account"/> installed through the first and its announcement seen by the second.</summary>
    private async Task<CorePair> InstallOnTwoAsync(string storage, string account)
    {
        var time = NewClock();
        var pair = new CorePair(await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time), new SharedStorage());
        try
        {
            pair.First = await StartAsync(storage, pair.Sandbox, pair.Shared, time);
            pair.Second = await StartAsync(storage, pair.Sandbox, pair.Shared, time);
            var installSeen = Dropped(pair.Second);
            await pair.First.InstallAsync(account);
            await installSeen;
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    /// <summary>A core on <paramref name="storage"/>, its schema migrated and its listener connected.</summary>
    private async Task<IntegrationCore> StartAsync(string storage, SandboxServer sandbox, SharedStorage shared, TimeProvider time)
    {
        var core = storage == "PostgreSql"
            ? IntegrationCore.Create(sandbox, shared, time, Observed,
                new Dictionary<string, string?> { ["ConnectionStrings:Integration"] = _connectionString, ["DataProtection:KeysPath"] = null },
                PostgreSqlStorageRegistration.AddGorgiasPostgreSqlStorage)
            : IntegrationCore.Create(sandbox, shared, time, AnnouncingBesideSqlite);
        if (storage == "PostgreSql")
        {
            await core.Services.GetRequiredService<PostgreSqlDatabase>().EnsureMigratedAsync(default);
        }

        var connected = core.Services.GetRequiredService<ObservedSink>().NextMissed();
        await core.Services.GetRequiredService<PostgreSqlChangeListener>().StartAsync(default);
        await connected.WaitAsync(TimeSpan.FromSeconds(30));
        return core;
    }

    /// <summary>The sandbox, the shared store and the two cores of a case, released in the reverse order: listeners, cores, store, sandbox.</summary>
    private sealed class CorePair(SandboxServer sandbox, SharedStorage shared) : IAsyncDisposable
    {
        public SandboxServer Sandbox { get; } = sandbox;

        public SharedStorage Shared { get; } = shared;

        public IntegrationCore First { get; set; } = null!;

        public IntegrationCore Second { get; set; } = null!;

        public async ValueTask DisposeAsync()
        {
            foreach (var core in new[] { Second, First }.Where(c => c is not null))
            {
                await core.Services.GetRequiredService<PostgreSqlChangeListener>().StopAsync(default);
                await core.DisposeAsync();
            }

            Shared.Dispose();
            await Sandbox.DisposeAsync();
        }
    }

    private void AnnouncingBesideSqlite(IServiceCollection services)
    {
        services.AddSingleton(new PostgreSqlDatabase(NpgsqlDataSource.Create(_connectionString), "gorgias"));
        services.AddPostgreSqlCoordination();

        // The lease stays SQLite's here: the tokens live in the SQLite file.
        services.AddSingleton<IRefreshLease>(provider => ActivatorUtilities.CreateInstance<Storage.Sqlite.SqliteRefreshLease>(provider));
        Observed(services);
    }

    private static void Observed(IServiceCollection services)
    {
        services.AddSingleton<ObservedSink>();
        services.AddSingleton<ITokenChangeSink>(provider => provider.GetRequiredService<ObservedSink>());
    }

    // The 30 s is a guard against a hung run, not a timing assertion.
    private static Task Dropped(IntegrationCore core) => core.Services.GetRequiredService<ObservedSink>().NextChange().WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>The core's own sink, observed: completes a task when it receives something.</summary>
    private sealed class ObservedSink(IServiceProvider provider) : ITokenChangeSink
    {
        private readonly ITokenChangeSink _inner = ActivatorUtilities.CreateInstance<CacheInvalidatingTokenChangeSink>(provider);
        private TaskCompletionSource _changed = New();
        private TaskCompletionSource _missed = New();

        public Task NextChange() => _changed.Task;

        public Task NextMissed() => _missed.Task;

        public void AccountChanged(AccountName account)
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

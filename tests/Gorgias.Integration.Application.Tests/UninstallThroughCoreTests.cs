using System.Collections.Concurrent;
using System.Text;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Installations.RetryRevocations;
using Gorgias.Integration.Application.Installations.Uninstall;
using Gorgias.Integration.Application.Notifications;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Gorgias.Integration.Testing;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gorgias.Integration.Application.Tests;

/// <summary>
/// Uninstall and the retry of failed revocations, composed as a host app would, against the real sandbox on loopback
/// and, where Gorgias must fail, a <see cref="ScriptableGorgias"/> that answers 503 or hangs. Cores on one <see cref="SharedStorage"/> share
/// the database like processes do.
/// </summary>
public sealed class UninstallThroughCoreTests : IAsyncLifetime
{
    private static readonly AccountName Acme = AccountName.Parse("acme");

    private static readonly Dictionary<string, string?> ShortTimeout = new() { ["Gorgias:HttpTimeout"] = "00:00:00.300" };

    private InstalledCore _setup = null!;
    private FakeTimeProvider _time = null!;
    private SandboxServer _sandbox = null!;
    private SharedStorage _storage = null!;
    private IntegrationCore _core = null!;

    public async Task InitializeAsync() => (_time, _sandbox, _storage, _core) = _setup = await InstalledCore.StartAsync(account: null);

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task Row26_Uninstall_RevokesTheRefreshTokenWithBasicAuth_WipesTheTokens_AndTheOldTokenNoLongerRefreshes()
    {
        await _core.InstallAsync("acme");
        var tokens = await TokensAsync();

        var result = await _core.SendAsync(new UninstallCommand("acme"));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(new UninstallResult(AccountName.Parse("acme"), Revoked: true), result.Value);
        Assert.Equal(1, _sandbox.Monitor.Revocations);
        var revocation = _sandbox.Monitor.LastRevocationRequest;
        Assert.Equal(tokens.RefreshToken, revocation["token"]);
        Assert.Equal("refresh_token", revocation["token_type_hint"]);
        Assert.Equal(InstallationStatus.Uninstalled, (await InstallationAsync()).Status);
        Assert.Null(await TokensOrNullAsync());
        Assert.Equal(0, await _storage.ScalarAsync<long>("SELECT COUNT(*) FROM token_sets"));
        Assert.Equal(0, await _storage.ScalarAsync<long>("SELECT COUNT(*) FROM pending_revocations"));

        // The sandbox only revokes for a request with the right Basic credentials; the old token is dead there now.
        var refresh = await AuthorizationServer(_core).RefreshAsync(Acme, tokens.RefreshToken, CancellationToken.None);
        Assert.Equal(AuthorizationServerError.InvalidGrant, refresh.Error);
    }

    [Fact]
    public async Task Row26_Uninstall_WhenGorgiasSays200ForAnAlreadyInvalidToken_StillWipesTheTokens()
    {
        await _core.InstallAsync("acme");
        var tokens = await TokensAsync();
        Assert.True((await AuthorizationServer(_core).RevokeAsync(Acme, tokens.RefreshToken, CancellationToken.None)).Revoked);

        var result = await _core.SendAsync(new UninstallCommand("acme"));

        Assert.Equal(new UninstallResult(AccountName.Parse("acme"), Revoked: true), result.Value);
        Assert.Equal(2, _sandbox.Monitor.Revocations);
        Assert.Equal(InstallationStatus.Uninstalled, (await InstallationAsync()).Status);
        Assert.Equal(0, await _storage.ScalarAsync<long>("SELECT COUNT(*) FROM token_sets"));
        Assert.Equal(0, await _storage.ScalarAsync<long>("SELECT COUNT(*) FROM pending_revocations"));
    }

    [Fact]
    public async Task Row27_Uninstall_WhenRevokeAnswers503_UninstallsAndKeepsTheEncryptedToken_UntilARetryRevokesIt()
    {
        await using var failing = await Maintenance.StartAsync();
        var failingCore = _setup.CoreAt(failing, ShortTimeout);
        await _core.InstallAsync("acme");
        var tokens = await TokensAsync();
        var uninstalledAt = _time.GetUtcNow();

        var result = await failingCore.SendAsync(new UninstallCommand("acme"));

        Assert.Equal(new UninstallResult(AccountName.Parse("acme"), Revoked: false), result.Value);
        var request = Assert.Single(failing.Requests);
        Assert.Equal(("acme", "/oauth/revoke"), (request.Account, request.Path));
        Assert.Equal(tokens.RefreshToken, request.Form["token"]);
        Assert.Equal("refresh_token", request.Form["token_type_hint"]);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{SandboxCredentials.ClientId}:{SandboxCredentials.ClientSecret}")), request.Authorization);
        Assert.Equal(InstallationStatus.Uninstalled, (await InstallationAsync()).Status);
        Assert.Equal(0, await _storage.ScalarAsync<long>("SELECT COUNT(*) FROM token_sets"));
        var stored = await _storage.ScalarAsync<byte[]>("SELECT refresh_token FROM pending_revocations WHERE account = 'acme'");
        Assert.NotNull(stored);
        Assert.True(stored.AsSpan().IndexOf(Encoding.UTF8.GetBytes(tokens.RefreshToken)) < 0, "the queued refresh token is stored in plaintext");
        var pending = await PendingAsync();
        Assert.Equal((tokens.RefreshToken, 1, uninstalledAt + PendingRevocation.FirstRetry, uninstalledAt),
            (pending!.RefreshToken, pending.Attempts, pending.NextAttemptAt, pending.CreatedAt));

        // Not due yet: nothing happens, even with Gorgias reachable.
        Assert.Equal(new RetryPendingRevocationsResult(0, 0), await _core.SendAsync(new RetryPendingRevocationsCommand()));
        Assert.Equal(0, _sandbox.Monitor.Revocations);
        Assert.NotNull(await PendingAsync());

        _time.Advance(PendingRevocation.FirstRetry + TimeSpan.FromSeconds(1));
        var retried = await _core.SendAsync(new RetryPendingRevocationsCommand());

        Assert.Equal(new RetryPendingRevocationsResult(1, 0), retried);
        Assert.Equal(1, _sandbox.Monitor.Revocations);
        Assert.Equal(tokens.RefreshToken, _sandbox.Monitor.LastRevocationRequest["token"]);
        Assert.Equal("refresh_token", _sandbox.Monitor.LastRevocationRequest["token_type_hint"]);
        Assert.Equal(0, await _storage.ScalarAsync<long>("SELECT COUNT(*) FROM pending_revocations"));
        Assert.Equal(AuthorizationServerError.InvalidGrant,
            (await AuthorizationServer(_core).RefreshAsync(Acme, tokens.RefreshToken, CancellationToken.None)).Error);
        Assert.Contains(_storage.Logs, line => line.Contains("retried at", StringComparison.Ordinal));
        Assert.DoesNotContain(_storage.Logs, line => line.Contains(tokens.RefreshToken, StringComparison.Ordinal)
            || line.Contains(tokens.AccessToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Row27_Uninstall_WhenRevokeHangsPastTheHttpTimeout_UninstallsAndQueuesTheToken()
    {
        await using var hanging = await Maintenance.StartAsync(hang: true);
        var hangingCore = _setup.CoreAt(hanging, ShortTimeout);
        await _core.InstallAsync("acme");
        var tokens = await TokensAsync();

        var result = await hangingCore.SendAsync(new UninstallCommand("acme"));

        Assert.Equal(new UninstallResult(AccountName.Parse("acme"), Revoked: false), result.Value);
        Assert.Single(hanging.Requests);
        Assert.Equal(InstallationStatus.Uninstalled, (await InstallationAsync()).Status);
        Assert.Null(await TokensOrNullAsync());
        Assert.Equal(tokens.RefreshToken, (await PendingAsync())!.RefreshToken);
    }

    [Fact]
    public async Task Row27_Retry_WhenRevokeFailsAgain_ReschedulesWithALargerBackoff()
    {
        await using var failing = await Maintenance.StartAsync();
        var failingCore = _setup.CoreAt(failing, ShortTimeout);
        await _core.InstallAsync("acme");
        await failingCore.SendAsync(new UninstallCommand("acme"));
        var first = (await PendingAsync())!;
        var firstDelay = first.NextAttemptAt - first.CreatedAt;

        _time.Advance(firstDelay + TimeSpan.FromSeconds(1));
        var retriedAt = _time.GetUtcNow();
        var retried = await failingCore.SendAsync(new RetryPendingRevocationsCommand());

        Assert.Equal(new RetryPendingRevocationsResult(0, 1), retried);
        Assert.Equal(2, failing.Requests.Count);
        var second = (await PendingAsync())!;
        Assert.Equal(2, second.Attempts);
        Assert.True(second.NextAttemptAt - retriedAt > firstDelay, $"{second.NextAttemptAt - retriedAt} is not longer than {firstDelay}");
        Assert.Equal(first.RefreshToken, second.RefreshToken);

        // Before the new due time a run does nothing; after it, the revocation goes through.
        _time.Advance(firstDelay + TimeSpan.FromSeconds(1));
        Assert.Equal(new RetryPendingRevocationsResult(0, 0), await _core.SendAsync(new RetryPendingRevocationsCommand()));
        _time.SetUtcNow(second.NextAttemptAt);
        Assert.Equal(new RetryPendingRevocationsResult(1, 0), await _core.SendAsync(new RetryPendingRevocationsCommand()));
        Assert.Null(await PendingAsync());
    }

    [Fact]
    public async Task Row27_Retry_AfterTheAccountWasInstalledAgain_RevokesTheOldTokenAndKeepsTheNewOne()
    {
        await using var failing = await Maintenance.StartAsync();
        var failingCore = _setup.CoreAt(failing, ShortTimeout);
        await _core.InstallAsync("acme");
        var old = await TokensAsync();
        await failingCore.SendAsync(new UninstallCommand("acme"));
        await _core.InstallAsync("acme");
        var current = await TokensAsync();
        Assert.NotEqual(old.RefreshToken, current.RefreshToken);

        _time.Advance(PendingRevocation.FirstRetry + TimeSpan.FromSeconds(1));
        var retried = await _core.SendAsync(new RetryPendingRevocationsCommand());

        Assert.Equal(new RetryPendingRevocationsResult(1, 0), retried);
        Assert.Equal(old.RefreshToken, _sandbox.Monitor.LastRevocationRequest["token"]);
        Assert.Null(await PendingAsync());
        Assert.Equal(InstallationStatus.Active, (await InstallationAsync()).Status);
        Assert.Equal(current.RefreshToken, (await TokensAsync()).RefreshToken);
        var server = AuthorizationServer(_core);
        Assert.Equal(AuthorizationServerError.InvalidGrant, (await server.RefreshAsync(Acme, old.RefreshToken, CancellationToken.None)).Error);
        Assert.True((await server.RefreshAsync(Acme, current.RefreshToken, CancellationToken.None)).IsSuccess);
    }

    [Fact]
    public async Task Row27_Uninstall_AfterReinstall_WhileTheOlderTokenIsStillQueued_RevokesBothTokens()
    {
        await using var failing = await Maintenance.StartAsync();
        var failingCore = _setup.CoreAt(failing, ShortTimeout);
        await _core.InstallAsync("acme");
        var old = await TokensAsync();
        await failingCore.SendAsync(new UninstallCommand("acme"));
        await _core.InstallAsync("acme");
        var current = await TokensAsync();

        var result = await _core.SendAsync(new UninstallCommand("acme"));

        Assert.Equal(new UninstallResult(AccountName.Parse("acme"), Revoked: true), result.Value);
        Assert.Equal(2, _sandbox.Monitor.Revocations);
        Assert.Null(await PendingAsync());
        Assert.Null(await TokensOrNullAsync());
        var server = AuthorizationServer(_core);
        Assert.Equal(AuthorizationServerError.InvalidGrant, (await server.RefreshAsync(Acme, old.RefreshToken, CancellationToken.None)).Error);
        Assert.Equal(AuthorizationServerError.InvalidGrant, (await server.RefreshAsync(Acme, current.RefreshToken, CancellationToken.None)).Error);
    }

    [Fact]
    public async Task Row27_Uninstall_AfterReinstall_WhenNeitherTokenCanBeRevoked_IsRefusedAndForgetsNoToken()
    {
        await using var failing = await Maintenance.StartAsync();
        var failingCore = _setup.CoreAt(failing, ShortTimeout);
        await _core.InstallAsync("acme");
        var old = await TokensAsync();
        await failingCore.SendAsync(new UninstallCommand("acme"));
        await _core.InstallAsync("acme");
        var current = await TokensAsync();

        var result = await failingCore.SendAsync(new UninstallCommand("acme"));

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorKind.GorgiasUnavailable, result.Error.Kind);
        Assert.Equal(InstallationStatus.Active, (await InstallationAsync()).Status);
        Assert.Equal(current.RefreshToken, (await TokensAsync()).RefreshToken);
        Assert.Equal(old.RefreshToken, (await PendingAsync())!.RefreshToken);
    }

    [Fact]
    public async Task Row29_PendingRevocation_LeavesNoPlaintextRefreshTokenInTheDatabaseFiles()
    {
        await using var failing = await Maintenance.StartAsync();
        var failingCore = _setup.CoreAt(failing, ShortTimeout);
        await _core.InstallAsync("acme");
        var tokens = await TokensAsync();
        await failingCore.SendAsync(new UninstallCommand("acme"));
        var ciphertext = (await _storage.ScalarAsync<byte[]>("SELECT refresh_token FROM pending_revocations"))!;

        // The scan does see what is stored: the ciphertext is there, wherever SQLite keeps it right now.
        Assert.NotEmpty(_storage.FilesContaining(ciphertext));
        Assert.Empty(_storage.FilesContaining(tokens.RefreshToken));
        Assert.Empty(_storage.FilesContaining(tokens.AccessToken));

        await _storage.CheckpointAsync();

        Assert.Contains("integration.db", _storage.FilesContaining(ciphertext));
        Assert.Empty(_storage.FilesContaining(tokens.RefreshToken));
        Assert.Empty(_storage.FilesContaining(tokens.AccessToken));
    }

    [Fact]
    public async Task Row30_Uninstall_RemovesThePlaintextAndTheTokenCiphertextFromTheDatabaseFiles()
    {
        await _core.InstallAsync("acme");
        var tokens = await TokensAsync();
        var accessCiphertext = (await _storage.ScalarAsync<byte[]>("SELECT access_token FROM token_sets"))!;
        var refreshCiphertext = (await _storage.ScalarAsync<byte[]>("SELECT refresh_token FROM token_sets"))!;
        await _storage.CheckpointAsync();
        Assert.Contains("integration.db", _storage.FilesContaining(accessCiphertext));

        Assert.True((await _core.SendAsync(new UninstallCommand("acme"))).Value!.Revoked);
        await _storage.CheckpointAsync();

        Assert.Empty(_storage.FilesContaining(accessCiphertext));
        Assert.Empty(_storage.FilesContaining(refreshCiphertext));
        Assert.Empty(_storage.FilesContaining(tokens.AccessToken));
        Assert.Empty(_storage.FilesContaining(tokens.RefreshToken));
    }

    [Fact]
    public async Task Row30_RetriedRevocation_RemovesThePendingCiphertextFromTheDatabaseFiles()
    {
        await using var failing = await Maintenance.StartAsync();
        var failingCore = _setup.CoreAt(failing, ShortTimeout);
        await _core.InstallAsync("acme");
        var tokens = await TokensAsync();
        var accessCiphertext = (await _storage.ScalarAsync<byte[]>("SELECT access_token FROM token_sets"))!;
        await failingCore.SendAsync(new UninstallCommand("acme"));
        var pendingCiphertext = (await _storage.ScalarAsync<byte[]>("SELECT refresh_token FROM pending_revocations"))!;
        await _storage.CheckpointAsync();
        Assert.Contains("integration.db", _storage.FilesContaining(pendingCiphertext));
        Assert.Empty(_storage.FilesContaining(accessCiphertext));

        _time.Advance(PendingRevocation.FirstRetry + TimeSpan.FromSeconds(1));
        Assert.Equal(new RetryPendingRevocationsResult(1, 0), await _core.SendAsync(new RetryPendingRevocationsCommand()));
        await _storage.CheckpointAsync();

        Assert.Empty(_storage.FilesContaining(pendingCiphertext));
        Assert.Empty(_storage.FilesContaining(tokens.RefreshToken));
    }

    [Fact]
    public async Task Uninstall_OfAnUnknownAccount_IsNotFound_AndCallsNoOne()
    {
        var result = await _core.SendAsync(new UninstallCommand("nobody"));

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorKind.NotFound, result.Error.Kind);
        Assert.Equal(0, _sandbox.Monitor.Revocations);
    }

    [Fact]
    public async Task Uninstall_OfAMalformedAccount_IsRejectedByTheValidator()
    {
        Assert.Equal(["account"], (await _core.SendAsync(new UninstallCommand("acme.evil.com"))).Error?.Fields);
        Assert.Equal(0, _sandbox.Monitor.Revocations);
    }

    [Fact]
    public async Task Uninstall_Again_SucceedsWithoutCallingGorgias()
    {
        await _core.InstallAsync("acme");
        await _core.SendAsync(new UninstallCommand("acme"));

        var again = await _core.SendAsync(new UninstallCommand("acme"));

        Assert.Equal(new UninstallResult(AccountName.Parse("acme"), Revoked: true), again.Value);
        Assert.Equal(1, _sandbox.Monitor.Revocations);
    }

    [Fact]
    public async Task Uninstall_Again_WhileTheRevocationIsStillQueued_SaysSoAndLeavesItForTheWorker()
    {
        await using var failing = await Maintenance.StartAsync();
        var failingCore = _setup.CoreAt(failing, ShortTimeout);
        await _core.InstallAsync("acme");
        await failingCore.SendAsync(new UninstallCommand("acme"));
        var queued = await PendingAsync();

        var again = await _core.SendAsync(new UninstallCommand("acme"));

        Assert.Equal(new UninstallResult(AccountName.Parse("acme"), Revoked: false), again.Value);
        Assert.Equal(0, _sandbox.Monitor.Revocations);
        Assert.Equal(queued, await PendingAsync());
    }

    [Fact]
    public async Task Uninstall_ThenInstallAgain_IsActiveAgainWithNewTokens()
    {
        await _core.InstallAsync("acme");
        await _core.SendAsync(new UninstallCommand("acme"));

        var reinstall = await _core.InstallAsync("acme");

        Assert.True(reinstall.IsReinstall);
        Assert.Equal(InstallationStatus.Active, (await InstallationAsync()).Status);
        var tokens = await TokensAsync();
        Assert.True((await AuthorizationServer(_core).RefreshAsync(Acme, tokens.RefreshToken, CancellationToken.None)).IsSuccess);
    }

    [Fact]
    public async Task Uninstall_NotifiesTheHostsNotificationHandler()
    {
        var recorder = new UninstalledRecorder();
        await using var core = IntegrationCore.Create(_sandbox, _storage, _time,
            services => services.AddSingleton<INotificationHandler<InstallationUninstalledNotification>>(recorder));
        await core.InstallAsync("acme");

        await core.SendAsync(new UninstallCommand("acme"));
        await core.SendAsync(new UninstallCommand("acme"));

        var notification = Assert.Single(recorder.Received);
        Assert.Equal(new InstallationUninstalledNotification(AccountName.Parse("acme"), _time.GetUtcNow()), notification);
    }

    [Fact]
    public async Task Uninstall_ConcurrentlyWithItself_RevokesExactlyOnce()
    {
        await _core.InstallAsync("acme");

        using var start = new ManualResetEventSlim(false);
        var calls = Enumerable.Range(0, 2)
            .Select(_ => Task.Factory.StartNew(() =>
            {
                start.Wait();
                return _core.SendAsync(new UninstallCommand("acme"));
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap())
            .ToArray();
        start.Set();
        var results = await Task.WhenAll(calls);

        Assert.All(results, result => Assert.True(result.IsSuccess, result.Error?.Message));
        Assert.Contains(results, result => result.Value!.Revoked);
        Assert.Equal(1, _sandbox.Monitor.Revocations);
        Assert.Equal(InstallationStatus.Uninstalled, (await InstallationAsync()).Status);
        Assert.Null(await PendingAsync());
    }

    private static IGorgiasAuthorizationServer AuthorizationServer(IntegrationCore core) =>
        core.Services.GetRequiredService<IGorgiasAuthorizationServer>();

    private async Task<Installation> InstallationAsync() =>
        (await _core.Services.GetRequiredService<IInstallationRepository>().FindAsync(Acme, CancellationToken.None))!;

    private Task<TokenSet?> TokensOrNullAsync() =>
        _core.Services.GetRequiredService<ITokenSetRepository>().FindAsync(Acme, CancellationToken.None);

    private async Task<TokenSet> TokensAsync() => (await TokensOrNullAsync())!;

    private Task<PendingRevocation?> PendingAsync() =>
        _core.Services.GetRequiredService<IPendingRevocationStore>().FindAsync(Acme, CancellationToken.None);

    private sealed class UninstalledRecorder : INotificationHandler<InstallationUninstalledNotification>
    {
        public ConcurrentQueue<InstallationUninstalledNotification> Received { get; } = new();

        public ValueTask Handle(InstallationUninstalledNotification notification, CancellationToken cancellationToken)
        {
            Received.Enqueue(notification);
            return ValueTask.CompletedTask;
        }
    }
}

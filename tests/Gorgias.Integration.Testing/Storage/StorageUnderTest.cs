using Gorgias.Integration.Application.Abstractions;

namespace Gorgias.Integration.Testing.Storage;

/// <summary>
/// One fresh, empty set of an adapter's stores, as <see cref="StorageConformanceTests"/> exercises them. Each property
/// may be a separate object or one object implementing several ports; they must share one underlying storage.
/// </summary>
public sealed class StorageUnderTest : IAsyncDisposable
{
    private readonly Func<ValueTask>? _dispose;

    /// <summary>Creates the set; <paramref name="dispose"/> releases what the adapter holds (connections, files).</summary>
    public StorageUnderTest(
        IInstallationRepository installations,
        ITokenSetRepository tokenSets,
        IAccessQueries access,
        IAuthorizationRequestStore authorizationRequests,
        IPendingRevocationStore pendingRevocations,
        IInstallRecorder installs,
        IUninstallRecorder uninstalls,
        Func<Task<IReadOnlyList<byte[]>>> readRawStoredBytes,
        Func<ValueTask>? dispose = null)
    {
        Installations = installations;
        TokenSets = tokenSets;
        Access = access;
        AuthorizationRequests = authorizationRequests;
        PendingRevocations = pendingRevocations;
        Installs = installs;
        Uninstalls = uninstalls;
        ReadRawStoredBytes = readRawStoredBytes;
        _dispose = dispose;
    }

    /// <summary>The installation store.</summary>
    public IInstallationRepository Installations { get; }

    /// <summary>The token set store.</summary>
    public ITokenSetRepository TokenSets { get; }

    /// <summary>The reads across installation and token set.</summary>
    public IAccessQueries Access { get; }

    /// <summary>The pending authorization store.</summary>
    public IAuthorizationRequestStore AuthorizationRequests { get; }

    /// <summary>The pending revocation store.</summary>
    public IPendingRevocationStore PendingRevocations { get; }

    /// <summary>The install transaction.</summary>
    public IInstallRecorder Installs { get; }

    /// <summary>The uninstall transaction.</summary>
    public IUninstallRecorder Uninstalls { get; }

    /// <summary>The counts by status behind the <c>gorgias.installations</c> gauge; the conformance test fails when it is missing.</summary>
    public IInstallationCounter? Counter { get; init; }

    /// <summary>
    /// Every byte the adapter has stored so far, as it lies at rest (for SQLite: the database file and its -wal and
    /// -shm companions; for a server: a dump of its tables), after anything it buffers has been written out.
    /// </summary>
    public Func<Task<IReadOnlyList<byte[]>>> ReadRawStoredBytes { get; }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dispose?.Invoke() ?? ValueTask.CompletedTask;
}

using Gorgias.Integration.Application.Installations.CompleteAuthorization;
using Gorgias.Integration.Application.Tests.Tokens;
using Gorgias.Integration.Domain.Tokens;
using Gorgias.Integration.Sandbox;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gorgias.Integration.Application.Tests.Support;

/// <summary>
/// The arrange block the token and uninstall tests share: a fake clock, the sandbox on it, a temp SQLite store, a core
/// composed on them, and one account installed through the real consent flow. Further cores on the same store and clock
/// (<see cref="CoreAt"/>) behave like other processes talking to another Gorgias, e.g. a <see cref="ScriptableGorgias"/>.
/// </summary>
public sealed class InstalledCore : IAsyncDisposable
{
    private readonly List<IntegrationCore> _others = [];

    private InstalledCore(FakeTimeProvider time, SandboxServer sandbox, SharedStorage storage, IntegrationCore core)
    {
        Time = time;
        Sandbox = sandbox;
        Storage = storage;
        Core = core;
    }

    public FakeTimeProvider Time { get; }

    public SandboxServer Sandbox { get; }

    public SharedStorage Storage { get; }

    public IntegrationCore Core { get; }

    /// <summary>What installing the account returned (its access token's expiry); null when none was installed.</summary>
    public CompleteAuthorizationResult Installed { get; private set; } = null!;

    /// <summary>The tokens stored by the install; null when none was installed.</summary>
    public TokenSet Issued { get; private set; } = null!;

    /// <summary>
    /// Starts the sandbox (configured by <paramref name="sandbox"/>, e.g. its token lifetime or rotation), composes the
    /// core (with <paramref name="services"/> added behind its registrations) and installs <paramref name="account"/>
    /// unless it is null.
    /// </summary>
    public static async Task<InstalledCore> StartAsync(
        string? account = "acme", Action<IServiceCollection>? services = null, Action<SandboxOptions>? sandbox = null)
    {
        var time = TokenTestKit.NewClock();
        var server = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time, sandbox);
        var storage = new SharedStorage();
        var setup = new InstalledCore(time, server, storage, IntegrationCore.Create(server, storage, time, services));
        if (account is not null)
        {
            setup.Installed = await setup.Core.InstallAsync(account);
            setup.Issued = (await setup.Core.StoredTokensAsync(account))!;
        }

        return setup;
    }

    /// <summary>Another core on the same store and clock, talking to <paramref name="gorgias"/> with <paramref name="settings"/> on top.</summary>
    public IntegrationCore CoreAt(ScriptableGorgias gorgias, IDictionary<string, string?>? settings = null)
    {
        var configuration = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Gorgias:BaseUrlTemplate"] = gorgias.BaseUrlTemplate,
        };
        var core = IntegrationCore.Create(Sandbox, Storage, Time, settings: configuration);
        _others.Add(core);
        return core;
    }

    public void Deconstruct(out FakeTimeProvider time, out SandboxServer sandbox, out SharedStorage storage, out IntegrationCore core) =>
        (time, sandbox, storage, core) = (Time, Sandbox, Storage, Core);

    public async ValueTask DisposeAsync()
    {
        foreach (var other in _others)
        {
            await other.DisposeAsync();
        }

        await Core.DisposeAsync();
        await Sandbox.DisposeAsync();
        Storage.Dispose();
    }
}

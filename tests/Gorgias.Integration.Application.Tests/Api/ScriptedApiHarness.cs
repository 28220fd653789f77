using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Gorgias.Api;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Application.Tests.Api;

/// <summary>
/// The core composed as a host composes it, pointed at a <see cref="ScriptableGorgias"/>, with a watched fake clock and
/// the <see cref="SandboxTokenProvider"/> stand-in seeded for <see cref="Acme"/> (no installation is stored, so the
/// scope check leaves these accounts to Gorgias).
/// </summary>
public sealed class ScriptedApiHarness : IAsyncDisposable
{
    public static readonly AccountName Acme = AccountName.Parse("acme");

    private readonly ServiceProvider _services;
    private readonly SharedStorage _storage;

    private ScriptedApiHarness(ScriptableGorgias gorgias, ServiceProvider services, SharedStorage storage, WatchedTimeProvider time)
    {
        Gorgias = gorgias;
        _services = services;
        _storage = storage;
        Time = time;
    }

    public ScriptableGorgias Gorgias { get; }

    public WatchedTimeProvider Time { get; }

    public IServiceProvider Services => _services;

    public IGorgiasApi Api => _services.GetRequiredService<IGorgiasApiFactory>().For(Acme);

    public IEnumerable<string> Logs => _storage.Logs;

    public static async Task<ScriptedApiHarness> StartAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        var gorgias = await ScriptableGorgias.StartAsync();
        var storage = new SharedStorage();
        var time = new WatchedTimeProvider();
        var services = IntegrationCore.BuildServices(gorgias.BaseUrlTemplate, storage, time, settings, after: s =>
        {
            SandboxTokenProvider.Register(s);
            configureServices?.Invoke(s);
        });
        var harness = new ScriptedApiHarness(gorgias, services, storage, time);
        services.GetRequiredService<SandboxTokenProvider>().Seed(Acme, "access-acme", "refresh-acme");
        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        await Gorgias.DisposeAsync();
        await _services.DisposeAsync();
        _storage.Dispose();
    }
}

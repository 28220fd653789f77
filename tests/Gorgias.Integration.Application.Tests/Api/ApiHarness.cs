using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Gorgias.Api;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Application.Tests.Api;

/// <summary>
/// The core composed as a host app composes it (AddGorgiasApplication + AddGorgiasInfrastructure, like
/// <see cref="IntegrationCore"/>), pointed at a <see cref="ScriptableGorgias"/> whose <c>GET /api/account</c> the test
/// scripts, with a watched fake clock and the <see cref="SandboxTokenProvider"/> stand-in seeded for <see cref="Acme"/>
/// and <see cref="Other"/>.
/// </summary>
public sealed class ApiHarness : IAsyncDisposable
{
    public static readonly AccountName Acme = AccountName.Parse("acme");
    public static readonly AccountName Other = AccountName.Parse("other");

    private readonly ServiceProvider _services;
    private readonly SharedStorage _storage;

    private ApiHarness(ScriptableGorgias gorgias, ServiceProvider services, SharedStorage storage, WatchedTimeProvider time)
    {
        Gorgias = gorgias;
        _services = services;
        _storage = storage;
        Time = time;
    }

    public ScriptableGorgias Gorgias { get; }

    public WatchedTimeProvider Time { get; }

    public IServiceProvider Services => _services;

    public SandboxTokenProvider Tokens => _services.GetRequiredService<SandboxTokenProvider>();

    public IGorgiasApiClient Client => _services.GetRequiredService<IGorgiasApiClient>();

    public IGorgiasApiFactory Apis => _services.GetRequiredService<IGorgiasApiFactory>();

    public IEnumerable<string> Logs => _storage.Logs;

    public static async Task<ApiHarness> StartAsync(Func<RecordedRequest, ScriptedAnswer> answerAccount, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var gorgias = (await ScriptableGorgias.StartAsync()).On("GET", "/api/account", answerAccount);
        var storage = new SharedStorage();
        var time = new WatchedTimeProvider();
        var services = IntegrationCore.BuildServices(gorgias.BaseUrlTemplate, storage, time, settings,
            before: configureServices, after: SandboxTokenProvider.Register);
        var harness = new ApiHarness(gorgias, services, storage, time);
        harness.Tokens.Seed(Acme, "access-acme", "refresh-acme");
        harness.Tokens.Seed(Other, "access-other", "refresh-other");
        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        await Gorgias.DisposeAsync();
        await _services.DisposeAsync();
        _storage.Dispose();
    }
}

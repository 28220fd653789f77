using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Gorgias.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Application.Tests.Api;

/// <summary>
/// The core composed as a host app composes it (AddGorgiasApplication + AddGorgiasInfrastructure, like
/// <see cref="IntegrationCore"/>), pointed at a <see cref="GorgiasStandIn"/>, with a watched fake clock and the
/// <see cref="SandboxTokenProvider"/> stand-in seeded for <see cref="Acme"/> and <see cref="Other"/>.
/// </summary>
public sealed class ApiHarness : IAsyncDisposable
{
    public static readonly AccountName Acme = AccountName.Parse("acme");
    public static readonly AccountName Other = AccountName.Parse("other");

    private readonly ServiceProvider _services;
    private readonly SharedStorage _storage;

    private ApiHarness(GorgiasStandIn standIn, ServiceProvider services, SharedStorage storage, WatchedTimeProvider time)
    {
        StandIn = standIn;
        _services = services;
        _storage = storage;
        Time = time;
    }

    public GorgiasStandIn StandIn { get; }

    public WatchedTimeProvider Time { get; }

    public IServiceProvider Services => _services;

    public SandboxTokenProvider Tokens => _services.GetRequiredService<SandboxTokenProvider>();

    public IGorgiasApiClient Client => _services.GetRequiredService<IGorgiasApiClient>();

    public IGorgiasApiFactory Apis => _services.GetRequiredService<IGorgiasApiFactory>();

    public IEnumerable<string> Logs => _storage.Logs;

    public static async Task<ApiHarness> StartAsync(Func<HttpContext, int, Task> answerApi, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var standIn = await GorgiasStandIn.StartAsync(answerApi);
        var storage = new SharedStorage();
        var time = new WatchedTimeProvider();
        var services = IntegrationCore.BuildServices(standIn.BaseUrlTemplate, storage, time, settings,
            before: configureServices, after: SandboxTokenProvider.Register);
        var harness = new ApiHarness(standIn, services, storage, time);
        harness.Tokens.Seed(Acme, "access-acme", "refresh-acme");
        harness.Tokens.Seed(Other, "access-other", "refresh-other");
        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        await StandIn.DisposeAsync();
        await _services.DisposeAsync();
        _storage.Dispose();
    }
}

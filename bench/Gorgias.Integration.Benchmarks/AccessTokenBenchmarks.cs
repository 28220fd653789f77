using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using Gorgias.Integration.Application.Tokens;
using Gorgias.Integration.Benchmarks.Support;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Benchmarks;

/// <summary>
/// <see cref="IGorgiasAccessTokenProvider.GetAccessTokenAsync"/> for an installed account whose cached token is valid,
/// against the least a cache can cost: one <see cref="ConcurrentDictionary{TKey,TValue}"/> lookup. Both hold the same
/// 1,000 accounts. Target: at most 10× the baseline and at most one allocation.
/// </summary>
[MemoryDiagnoser]
public class AccessTokenBenchmarks
{
    private const int Accounts = 1_000;

    private readonly ConcurrentDictionary<string, GorgiasAccessToken> _dictionary = new(StringComparer.Ordinal);
    private BenchStorage _storage = null!;
    private ServiceProvider _services = null!;
    private IGorgiasAccessTokenProvider _provider = null!;
    private AccountName _account = null!;
    private string _key = "";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _storage = new BenchStorage();
        _services = Composition.BuildCore(_storage, new FakeAuthorizationServer(TimeProvider.System));
        _provider = _services.GetRequiredService<IGorgiasAccessTokenProvider>();
        for (var i = 0; i < Accounts; i++)
        {
            var account = $"shop-{i:D4}";
            await Composition.InstallAsync(_services, account);
            _dictionary[account] = await _provider.GetAccessTokenAsync(AccountName.Parse(account));
        }

        _key = "shop-0500";
        _account = AccountName.Parse(_key);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _services.DisposeAsync();
        _storage.Dispose();
    }

    [Benchmark(Baseline = true)]
    public GorgiasAccessToken DictionaryLookup() => _dictionary.TryGetValue(_key, out var token) ? token : default;

    [Benchmark]
    public GorgiasAccessToken GetAccessToken()
    {
        // How a caller consumes a ValueTask that is almost always already complete.
        var pending = _provider.GetAccessTokenAsync(_account);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }
}

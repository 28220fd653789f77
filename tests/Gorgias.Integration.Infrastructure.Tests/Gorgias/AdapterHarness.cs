using System.Collections.Concurrent;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Infrastructure.Gorgias;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Infrastructure.Tests.Gorgias;

/// <summary>The adapter as a host gets it: AddGorgiasHttpClients over configuration, with every log line captured at Trace.</summary>
public sealed class AdapterHarness : IDisposable
{
    private readonly ServiceProvider _provider;

    public AdapterHarness(
        string baseUrlTemplate,
        string clientId,
        string clientSecret,
        TimeSpan? httpTimeout = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gorgias:ClientId"] = clientId,
            ["Gorgias:ClientSecret"] = clientSecret,
            ["Gorgias:BaseUrlTemplate"] = baseUrlTemplate,
            ["Gorgias:RedirectUri"] = "https://app.example/oauth/callback",
            ["Gorgias:HttpTimeout"] = (httpTimeout ?? TimeSpan.FromSeconds(10)).ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new CapturingLoggerProvider(Logs)));
        configureServices?.Invoke(services);
        services.AddGorgiasHttpClients(configuration);
        _provider = services.BuildServiceProvider();
    }

    public ConcurrentQueue<string> Logs { get; } = new();

    public IGorgiasAuthorizationServer Server => _provider.GetRequiredService<IGorgiasAuthorizationServer>();

    public IIdTokenReader IdTokenReader => _provider.GetRequiredService<IIdTokenReader>();

    public void Dispose() => _provider.Dispose();

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, sink);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            sink.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{properties}] {exception}");
        }
    }
}

using System.Net;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Installations.BeginInstall;
using Gorgias.Integration.Application.Installations.CompleteAuthorization;
using Gorgias.Integration.Infrastructure;
using Gorgias.Integration.Storage.Sqlite;
using Gorgias.Integration.Testing;
using Mediator;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Application.Tests.Support;

/// <summary>
/// The integration core as a host app composes it (AddGorgiasApplication + AddGorgiasInfrastructure) on a real
/// SQLite file and key folder, talking to a <see cref="SandboxServer"/> over loopback. Two instances on the same
/// <see cref="SharedStorage"/> behave like two processes sharing one database.
/// </summary>
public sealed class IntegrationCore : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private IntegrationCore(ServiceProvider services, SharedStorage storage)
    {
        _services = services;
        Storage = storage;
    }

    public IServiceProvider Services => _services;

    public SharedStorage Storage { get; }

    public static IntegrationCore Create(SandboxServer sandbox, SharedStorage storage, TimeProvider time,
        Action<IServiceCollection>? configureServices = null, IDictionary<string, string?>? settings = null,
        Func<IServiceCollection, IConfiguration, IServiceCollection>? addStorage = null) =>
        new(BuildServices(sandbox.BaseUrlTemplate, storage, time, settings, after: configureServices, addStorage: addStorage), storage);

    /// <summary>
    /// The services a host app composes (AddGorgiasApplication + AddGorgiasInfrastructure) against the Gorgias at
    /// <paramref name="baseUrlTemplate"/>; <paramref name="before"/> runs ahead of the core's registrations (a host's
    /// own defaults), <paramref name="after"/> behind them (replacements); <paramref name="addStorage"/> registers
    /// another storage adapter than SQLite (on the connection string given in <paramref name="settings"/>).
    /// </summary>
    public static ServiceProvider BuildServices(string baseUrlTemplate, SharedStorage storage, TimeProvider time,
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? before = null, Action<IServiceCollection>? after = null,
        Func<IServiceCollection, IConfiguration, IServiceCollection>? addStorage = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Gorgias:ClientId"] = SandboxCredentials.ClientId,
            ["Gorgias:ClientSecret"] = SandboxCredentials.ClientSecret,
            ["Gorgias:RedirectUri"] = "https://app.test/oauth/callback",
            ["Gorgias:BaseUrlTemplate"] = baseUrlTemplate,
            ["ConnectionStrings:Integration"] = storage.ConnectionString,
            ["DataProtection:KeysPath"] = storage.KeysPath,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var config = new ConfigurationBuilder().AddInMemoryCollection(configuration).Build();
        var services = new ServiceCollection();
        before?.Invoke(services);
        services.AddSingleton<IConfiguration>(config);
        services.AddLogging(b => b.AddProvider(new ListLoggerProvider(storage.Logs)).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton(time);
        (addStorage ?? SqliteStorageRegistration.AddGorgiasSqliteStorage)(services.AddGorgiasApplication().AddGorgiasInfrastructure(config), config);
        after?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>Sends a command or query in its own DI scope, as a request would.</summary>
    public async Task<TResponse> SendAsync<TResponse>(IRequest<TResponse> request)
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(request);
    }

    public async Task<TResponse> SendAsync<TResponse>(ICommand<TResponse> command)
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command);
    }

    public async Task<TResponse> SendAsync<TResponse>(IQuery<TResponse> query)
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(query);
    }

    /// <summary>Runs the hosted services' start (migrations, workers) as a host would.</summary>
    public async Task StartHostedServicesAsync()
    {
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Installs the app for <paramref name="account"/> through the real flow: BeginInstall, sandbox consent,
    /// CompleteAuthorization. <paramref name="secrets"/>, when given, receives the flow's browser id, state and code.
    /// </summary>
    public async Task<CompleteAuthorizationResult> InstallAsync(string account, ICollection<string>? secrets = null)
    {
        const string browser = "test-browser-secret";
        var begin = await SendAsync(new BeginInstallCommand(account, browser));
        Assert.True(begin.IsSuccess, begin.Error?.Message);
        var authorize = begin.Value.AuthorizeUri;

        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        var page = await http.GetStringAsync(authorize);
        var fields = ConsentForm.Read(page);
        fields["decision"] = "allow";
        using var decision = await http.PostAsync(new Uri(authorize, "authorize/decision"), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, decision.StatusCode);
        var callback = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(decision.Headers.Location!.Query);
        foreach (var secret in (string[])[browser, callback["state"].ToString(), callback["code"].ToString()])
        {
            secrets?.Add(secret);
        }

        Result<CompleteAuthorizationResult> done = await SendAsync(new CompleteAuthorizationCommand(
            account, callback["state"].ToString(), callback["code"].ToString(), null, browser));
        Assert.True(done.IsSuccess, done.Error?.Message);
        return done.Value;
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}

/// <summary>A SQLite file and a key folder in a temp directory, shared by every <see cref="IntegrationCore"/> given it.</summary>
public sealed class SharedStorage : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gorgias-app-").FullName;

    public string DatabasePath => Path.Combine(_folder, "integration.db");

    public string ConnectionString => $"Data Source={DatabasePath}";

    public string KeysPath => Path.Combine(_folder, "keys");

    public System.Collections.Concurrent.ConcurrentQueue<string> Logs { get; } = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind must not fail a test that passed.
        }
    }
}

/// <summary>Keeps formatted log lines.</summary>
public sealed class ListLoggerProvider(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception?.GetType().Name}");
    }
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Gorgias.Integration.Web.Tests.Support;

/// <summary>
/// The real Host in memory, on a real SQLite file in a temp folder, with the sandbox mounted at
/// https://localhost/sandbox (calls to it go through the same in-memory server). Captures every log line.
/// </summary>
public sealed class IntegrationHost : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-only-Jq7Xv2Lm9RtK4wZb8NcP3sYf6HdG";
    public const string ClientId = "test-client";
    public const string ClientSecret = "test-secret-not-real";

    private readonly Dictionary<string, string?> _settings;
    private readonly string _folder = Directory.CreateTempSubdirectory("gorgias-web-").FullName;
    private readonly bool _routeGorgiasToThisServer;

    private readonly string _environment;
    private readonly Action<IServiceCollection>? _services;

    // The environment is Development by default with the sandbox (the only environment that allows it), Testing without.
    // services adds to (or replaces in) the Host's services, after its own registrations.
    public IntegrationHost(IDictionary<string, string?>? settings = null, bool sandbox = true, string? environment = null,
        Action<IServiceCollection>? services = null)
    {
        _services = services;
        _environment = environment ?? (sandbox ? "Development" : "Testing");
        _routeGorgiasToThisServer = sandbox;
        _settings = new Dictionary<string, string?>
        {
            ["Gorgias:ClientId"] = ClientId,
            ["Gorgias:ClientSecret"] = ClientSecret,
            ["Gorgias:RedirectUri"] = "https://localhost/oauth/callback",
            ["Gorgias:BaseUrlTemplate"] = "https://localhost/sandbox/{account}",
            ["Gorgias:Sandbox"] = sandbox ? "true" : "false",
            ["Integration:AdminApiKey"] = AdminKey,
            ["ConnectionStrings:Integration"] = $"Data Source={Path.Combine(_folder, "integration.db")}",
            ["DataProtection:KeysPath"] = Path.Combine(_folder, "keys"),
            // Every category at Trace, overriding appsettings.json's quieter Microsoft.AspNetCore level.
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:System"] = "Trace",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            // null removes a key, so that appsettings.json's own value applies.
            if (value is null)
            {
                _settings.Remove(key);
            }
            else
            {
                _settings[key] = value;
            }
        }

        ClientOptions.BaseAddress = new Uri("https://localhost");
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    public ConcurrentQueue<string> Logs { get; } = new();

    public string DatabasePath => Path.Combine(_folder, "integration.db");

    /// <summary>A client that follows redirects and keeps cookies, like a browser.</summary>
    public HttpClient CreateBrowser() => CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"),
        AllowAutoRedirect = true,
        HandleCookies = true,
    });

    /// <summary>A client that does not follow redirects, with cookies.</summary>
    public HttpClient CreateNonRedirectingBrowser() => CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"),
        AllowAutoRedirect = false,
        HandleCookies = true,
    });

    /// <summary>A client for the admin routes.</summary>
    public HttpClient CreateAdmin()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(Logs)));
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
            services.AddSingleton<IStartupFilter, TestPeerAddress>();
            if (_routeGorgiasToThisServer)
            {
                // The Host calls "Gorgias" at https://localhost/sandbox: send those calls into this in-memory server.
                services.PostConfigureAll<HttpClientFactoryOptions>(o =>
                    o.HttpMessageHandlerBuilderActions.Add(b => b.PrimaryHandler = Server.CreateHandler()));
            }

            _services?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on a slow CI machine must not fail the test that already passed.
            }
        }
    }
}

using System.Net;
using Gorgias.Integration.Application;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Installations.BeginInstall;
using Gorgias.Integration.Application.Installations.CompleteAuthorization;
using Gorgias.Integration.Infrastructure;
using Gorgias.Integration.Storage.Sqlite;
using Gorgias.Integration.Web;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Benchmarks.Support;

/// <summary>
/// The integration core composed as a host app composes it (AddGorgiasApplication + AddGorgiasInfrastructure) on a
/// real SQLite file and key folder, as tests/Gorgias.Integration.Application.Tests/Support/IntegrationCore.cs does,
/// with <see cref="FakeAuthorizationServer"/> standing in for Gorgias's token endpoint.
/// </summary>
internal static class Composition
{
    public const string BrowserId = "bench-browser-secret-0123456789abcdef";

    public const string AdminApiKey = "bench-only-Tm6Wq2Zx9Kb4Nr7Lv3Pc8Hj5";

    public static Dictionary<string, string?> Settings(BenchStorage storage, IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gorgias:ClientId"] = "bench-client",
            ["Gorgias:ClientSecret"] = "bench-secret-0123456789",
            ["Gorgias:RedirectUri"] = "https://app.example/oauth/callback",
            ["Gorgias:BaseUrlTemplate"] = "https://{account}.gorgias.com",
            ["Gorgias:Scopes"] = "email profile offline account:read", // the fake answers without an id_token
            ["Integration:InstallRateLimit:PermitLimit"] = "1000000000", // one loopback client makes every request
            ["ConnectionStrings:Integration"] = storage.ConnectionString,
            ["DataProtection:KeysPath"] = storage.KeysPath,
            ["Integration:AdminApiKey"] = AdminApiKey,
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>The core alone, as a worker or CLI host composes it. No log provider: nothing below Warning is written.</summary>
    public static ServiceProvider BuildCore(BenchStorage storage, IGorgiasAuthorizationServer authorizationServer,
        TimeProvider? time = null, IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(storage, overrides)).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Information));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddGorgiasApplication().AddGorgiasInfrastructure(configuration).AddGorgiasSqliteStorage(configuration);
        services.Replace(ServiceDescriptor.Singleton(authorizationServer));
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>
    /// The Host's pipeline (src/Gorgias.Integration.Host/Program.cs without the sandbox, the start page and telemetry) on Kestrel at
    /// 127.0.0.1 on a free port. Log providers are cleared (the Host writes nothing per request at its default levels).
    /// </summary>
    public static async Task<(WebApplication App, Uri Address)> StartHostAsync(BenchStorage storage,
        IGorgiasAuthorizationServer authorizationServer, IDictionary<string, string?>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = storage.Folder });
        builder.Configuration.AddInMemoryCollection(Settings(storage, overrides));
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services
            .AddGorgiasApplication()
            .AddGorgiasInfrastructure(builder.Configuration)
            .AddGorgiasSqliteStorage(builder.Configuration)
            .AddGorgiasWeb(builder.Configuration);
        builder.Services.Replace(ServiceDescriptor.Singleton(authorizationServer));

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/oauth"), api => api.UseStatusCodePages());
        app.MapGorgiasEndpoints(GorgiasAdminAccess.ApiKey(AdminApiKey));
        await app.StartAsync();
        return (app, AddressOf(app));
    }

    /// <summary>A bare minimal-API app on Kestrel at 127.0.0.1: <c>GET /oauth/install</c> answers a 302 and does nothing else.</summary>
    public static async Task<(WebApplication App, Uri Address)> StartBareAsync(string folder)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = folder });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        const string target = "https://acme.gorgias.com/oauth/authorize?response_type=code&client_id=bench-client";
        app.MapGet("/oauth/install", () => Microsoft.AspNetCore.Http.Results.Redirect(target));
        await app.StartAsync();
        return (app, AddressOf(app));
    }

    /// <summary>
    /// Installs <paramref name="account"/> through the mediator, each command in its own DI scope as the Web adapter sends
    /// it: BeginInstall, then CompleteAuthorization with its state. True when it was a re-install.
    /// </summary>
    public static async Task<bool> InstallAsync(IServiceProvider services, string account)
    {
        Result<BeginInstallResult> begin;
        await using (var scope = services.CreateAsyncScope())
        {
            begin = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new BeginInstallCommand(account, BrowserId));
        }

        var state = StateOf(Check(begin).AuthorizeUri);
        await using (var scope = services.CreateAsyncScope())
        {
            return Check(await scope.ServiceProvider.GetRequiredService<ISender>().Send(new CompleteAuthorizationCommand(account, state, "code", null, BrowserId))).IsReinstall;
        }
    }

    /// <summary>The <c>state</c> parameter of an authorize URL (base64url: nothing to unescape).</summary>
    public static string StateOf(Uri authorizeUri)
    {
        ArgumentNullException.ThrowIfNull(authorizeUri);
        var query = authorizeUri.Query;
        var start = query.IndexOf("&state=", StringComparison.Ordinal) + "&state=".Length;
        var end = query.IndexOf('&', start);
        return end < 0 ? query[start..] : query[start..end];
    }

    public static T Check<T>(Result<T> result) =>
        result.IsSuccess ? result.Value! : throw new InvalidOperationException($"{result.Error!.Code}: {result.Error.Message}");

    private static Uri AddressOf(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}

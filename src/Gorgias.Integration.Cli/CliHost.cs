using Gorgias.Integration.Infrastructure.Gorgias.Api;
using Gorgias.Integration.Web.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Gorgias.Integration.Cli;

/// <summary>
/// The core composed as the Host composes it (same configuration sources, same storage choice, same registrations),
/// minus HTTP and the background worker. The host is built, never started: no hosted service runs, so nothing migrates
/// or listens unless a command asks for it.
/// </summary>
internal sealed class CliHost : IAsyncDisposable
{
    private const string SandboxPath = "/sandbox";

    private readonly IHost? _host;

    private CliHost(IHost? host, IReadOnlyList<string> problems, string storage)
    {
        _host = host;
        Problems = problems;
        Storage = storage;
    }

    /// <summary>What is wrong with the configuration, each naming its key; empty when the core could be composed.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>The storage and where it is, e.g. <c>SQLite at /srv/gorgias-integration.db</c>; never a password.</summary>
    public string Storage { get; }

    /// <summary>The composed services; only when <see cref="Problems"/> is empty.</summary>
    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("The core was not composed: " + string.Join(" ", Problems));

    public static CliHost Compose(CliSettings settings)
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environments.Production;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = Directory.GetCurrentDirectory(),
            EnvironmentName = environment,
        });
        ApplyOverrides(builder.Configuration, settings);
        ConfigureLogging(builder.Logging);

        var problems = new List<string>();
        var storage = ResolveStorage(builder, problems, out var kind);
        if (builder.Configuration.GetValue<bool>("Gorgias:Sandbox"))
        {
            if (SandboxDefaults.FindProblem(builder.Environment) is { } sandboxProblem)
            {
                problems.Add(sandboxProblem);
            }
            else
            {
                // The sandbox lives in the running Host (http://localhost:5000 unless urls says otherwise): talk to it there.
                SandboxDefaults.Apply(builder.Configuration, SandboxPath);
            }
        }

        if (problems.Count > 0 || kind is null)
        {
            return new CliHost(null, problems, storage);
        }

        try
        {
            builder.Services.AddGorgiasCore(builder.Configuration, kind.Value);
        }
        catch (InvalidOperationException ex)
        {
            return new CliHost(null, [ex.Message], storage);
        }

        builder.Services.AddGorgiasApiClient<IGorgiasPathApi>();
        return new CliHost(builder.Build(), problems, storage);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            _host?.Dispose();
        }
    }

    private static void ApplyOverrides(ConfigurationManager configuration, CliSettings settings)
    {
        if (settings.ConfigFile is { } file)
        {
            configuration.AddJsonFile(file, optional: false, reloadOnChange: false);
        }

        var overrides = new Dictionary<string, string?>();
        if (settings.ConnectionString is { } connectionString)
        {
            overrides[StorageLocation.ConnectionStringKey] = connectionString;
        }

        if (settings.Storage is { } storage)
        {
            overrides[GorgiasIntegrationExtensions.StorageKey] = storage.ToString();
        }

        configuration.AddInMemoryCollection(overrides);
    }

    private static void ConfigureLogging(ILoggingBuilder logging)
    {
        // stdout carries the command's answer (a table, or JSON for scripts); the log goes to stderr, warnings and up.
        logging.ClearProviders();
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.AddFilter<ConsoleLoggerProvider>((_, level) => level >= LogLevel.Warning);
        logging.AddGorgiasLogRedaction();
    }

    /// <summary>The storage the configuration names and its location, checked as the Host checks them.</summary>
    private static string ResolveStorage(HostApplicationBuilder builder, List<string> problems, out GorgiasStorage? kind)
    {
        kind = null;
        try
        {
            kind = GorgiasIntegrationExtensions.StorageFromConfiguration(builder.Configuration);
        }
        catch (InvalidOperationException ex)
        {
            problems.Add(ex.Message);
            return "";
        }

        var connectionString = builder.Configuration.GetConnectionString("Integration");
        if (kind == GorgiasStorage.PostgreSql)
        {
            var (description, problem) = StorageLocation.DescribePostgreSql(connectionString);
            if (problem is not null)
            {
                problems.Add(problem);
            }

            return description;
        }

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            problems.Add($"{StorageLocation.ConnectionStringKey} is missing, e.g. \"Data Source=gorgias-integration.db\" (or --connection-string).");
            return "";
        }

        var resolved = StorageLocation.Resolve(connectionString, builder.Environment.ContentRootPath);
        if (resolved.Problem is not null)
        {
            problems.Add(resolved.Problem);
            return "";
        }

        builder.Configuration[StorageLocation.ConnectionStringKey] = resolved.ConnectionString;
        return resolved.Description;
    }
}

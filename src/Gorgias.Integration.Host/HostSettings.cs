using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Infrastructure.Background;
using Gorgias.Integration.Web;

namespace Gorgias.Integration.Host;

/// <summary>
/// The Host's configuration, checked once at start-up. Every problem is reported together, each naming its key,
/// so a misconfigured deployment fails fast with one readable message instead of at the first install.
/// </summary>
internal sealed class HostSettings
{
    public const string SandboxPrefix = "/sandbox";

    private HostSettings(GorgiasOptions gorgias, bool sandbox, string adminApiKey, string storage)
    {
        Gorgias = gorgias;
        Sandbox = sandbox;
        AdminApiKey = adminApiKey;
        Storage = storage;
    }

    public GorgiasOptions Gorgias { get; }

    public bool Sandbox { get; }

    public string AdminApiKey { get; }

    /// <summary>The storage and its resolved location, e.g. <c>SQLite at /srv/data/gorgias-integration.db</c>.</summary>
    public string Storage { get; }

    public static HostSettings Load(ConfigurationManager configuration, IWebHostEnvironment environment)
    {
        var sandbox = configuration.GetValue<bool>("Gorgias:Sandbox");
        if (sandbox)
        {
            // Before the options are checked: the sandbox supplies the base URL and redirect URI they require.
            SandboxDefaults.Apply(configuration, SandboxPrefix);
        }

        var gorgias = configuration.GetSection(GorgiasOptions.SectionName).Get<GorgiasOptions>() ?? new GorgiasOptions();
        var errors = new List<string>(new GorgiasOptionsValidator().FindProblems(gorgias));

        // The same validators the library runs at start-up, here so every problem is listed in one message.
        var web = configuration.GetSection(GorgiasWebOptions.SectionName).Get<GorgiasWebOptions>() ?? new GorgiasWebOptions();
        errors.AddRange(new GorgiasWebOptionsValidator().FindProblems(web));
        var background = configuration.GetSection(BackgroundRefreshOptions.SectionName).Get<BackgroundRefreshOptions>() ?? new BackgroundRefreshOptions();
        errors.AddRange(new BackgroundRefreshOptionsValidator().FindProblems(background));
        var adminApiKey = configuration[AdminApiKeyStrength.ConfigurationKey] ?? "";
        if (AdminApiKeyStrength.FindProblem(adminApiKey) is { } weakKey)
        {
            errors.Add(weakKey);
        }

        var storage = "";
        var connectionString = configuration.GetConnectionString("Integration");
        GorgiasStorage? kind = null;
        try
        {
            kind = GorgiasIntegrationExtensions.StorageFromConfiguration(configuration);
        }
        catch (InvalidOperationException ex)
        {
            errors.Add(ex.Message);
        }

        if (kind == GorgiasStorage.PostgreSql)
        {
            // A server, not a file: no path to resolve or folder to check.
            var resolved = StorageLocation.DescribePostgreSql(connectionString);
            if (resolved.Problem is not null)
            {
                errors.Add(resolved.Problem);
            }

            storage = resolved.Description;
        }
        else if (string.IsNullOrWhiteSpace(connectionString))
        {
            errors.Add($"{StorageLocation.ConnectionStringKey} is missing, e.g. \"Data Source=gorgias-integration.db\".");
        }
        else
        {
            var resolved = StorageLocation.Resolve(connectionString, environment.ContentRootPath);
            if (resolved.Problem is not null)
            {
                errors.Add(resolved.Problem);
            }
            else
            {
                storage = resolved.Description;
                configuration[StorageLocation.ConnectionStringKey] = resolved.ConnectionString;
            }
        }

        // DataProtection:KeysPath is checked where the key ring is configured (DataProtectionRegistration, on start):
        // whether a missing one is a problem depends on the storage, which may keep the key ring itself.

        if (sandbox && SandboxDefaults.FindProblem(environment) is { } sandboxProblem)
        {
            errors.Add(sandboxProblem);
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The Host's configuration is invalid:" + Environment.NewLine
                + string.Join(Environment.NewLine, errors.Select(e => " - " + e)));
        }

        return new HostSettings(gorgias, sandbox, adminApiKey, storage);
    }
}

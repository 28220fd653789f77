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
        if (string.IsNullOrWhiteSpace(connectionString))
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

        // The Infrastructure refuses this too, but only once the host starts; saying it here lists it with the rest.
        if (!environment.IsDevelopment() && string.IsNullOrWhiteSpace(configuration["DataProtection:KeysPath"]))
        {
            errors.Add("DataProtection:KeysPath is not set: outside Development the keys that encrypt stored tokens must live in a "
                + "persistent folder (e.g. a mounted volume), or every stored token becomes unreadable after a redeploy.");
        }

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

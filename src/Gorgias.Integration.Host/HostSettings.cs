using Gorgias.Integration.Application.Options;
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
            UseSandboxEndpoints(configuration);
        }

        var gorgias = configuration.GetSection(GorgiasOptions.SectionName).Get<GorgiasOptions>() ?? new GorgiasOptions();
        var errors = new List<string>(gorgias.Validate());
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

        var postInstallRedirect = configuration["Integration:PostInstallRedirect"];
        if (!string.IsNullOrEmpty(postInstallRedirect) && !Uri.TryCreate(postInstallRedirect, UriKind.RelativeOrAbsolute, out _))
        {
            errors.Add("Integration:PostInstallRedirect must be a URL.");
        }

        // The Infrastructure refuses this too, but only once the host starts; saying it here lists it with the rest.
        if (!environment.IsDevelopment() && string.IsNullOrWhiteSpace(configuration["DataProtection:KeysPath"]))
        {
            errors.Add("DataProtection:KeysPath is not set: outside Development the keys that encrypt stored tokens must live in a "
                + "persistent folder (e.g. a mounted volume), or every stored token becomes unreadable after a redeploy.");
        }

        if (sandbox && !environment.IsDevelopment())
        {
            errors.Add($"Gorgias:Sandbox is true in {environment.EnvironmentName}: the sandbox is for development only and is refused in every "
                + "other environment. Set ASPNETCORE_ENVIRONMENT=Development or Gorgias:Sandbox=false.");
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The Host's configuration is invalid:" + Environment.NewLine
                + string.Join(Environment.NewLine, errors.Select(e => " - " + e)));
        }

        return new HostSettings(gorgias, sandbox, adminApiKey, storage);
    }

    /// <summary>
    /// In sandbox mode the Host is its own Gorgias: unless configured explicitly, the base URL and the redirect URI
    /// point at the Host's own listening address (from <c>--urls</c> / <c>ASPNETCORE_URLS</c>, never from a request).
    /// </summary>
    private static void UseSandboxEndpoints(ConfigurationManager configuration)
    {
        var listening = (configuration["urls"] ?? "http://localhost:5000").Split(';', StringSplitOptions.RemoveEmptyEntries)[0];
        var self = new UriBuilder(listening.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (self.Host is "0.0.0.0" or "[::]")
        {
            self.Host = "localhost";
        }

        var origin = self.Uri.GetLeftPart(UriPartial.Authority);
        var defaults = new Dictionary<string, string?>();
        if (string.IsNullOrEmpty(configuration["Gorgias:BaseUrlTemplate"]))
        {
            defaults["Gorgias:BaseUrlTemplate"] = $"{origin}{SandboxPrefix}/{GorgiasOptions.AccountPlaceholder}";
        }

        if (string.IsNullOrEmpty(configuration["Gorgias:RedirectUri"]))
        {
            defaults["Gorgias:RedirectUri"] = $"{origin}/oauth/callback";
        }

        configuration.AddInMemoryCollection(defaults);
    }
}

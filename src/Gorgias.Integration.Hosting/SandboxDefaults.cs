using Gorgias.Integration.Application.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Gorgias.Integration;

/// <summary>
/// In sandbox mode the app is its own Gorgias: unless configured explicitly, the base URL and the redirect URI point at
/// the app's own listening address (from <c>--urls</c> / <c>ASPNETCORE_URLS</c>, never from a request).
/// </summary>
internal static class SandboxDefaults
{
    public static void Apply(IConfigurationManager configuration, IHostEnvironment environment, string sandboxPath)
    {
        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"Gorgias:Sandbox is true in the '{environment.EnvironmentName}' environment: the sandbox is for Development only. " +
                "Set ASPNETCORE_ENVIRONMENT=Development, or Gorgias:Sandbox=false and the real Gorgias:ClientId and Gorgias:ClientSecret.");
        }

        var origin = Origin(configuration["urls"]);
        var defaults = new Dictionary<string, string?>();
        if (string.IsNullOrEmpty(configuration["Gorgias:BaseUrlTemplate"]))
        {
            defaults["Gorgias:BaseUrlTemplate"] = $"{origin}{sandboxPath}/{GorgiasOptions.AccountPlaceholder}";
        }

        if (string.IsNullOrEmpty(configuration["Gorgias:RedirectUri"]))
        {
            defaults["Gorgias:RedirectUri"] = $"{origin}/oauth/callback";
        }

        configuration.AddInMemoryCollection(defaults);
    }

    /// <summary>The first listening address as an origin a browser can open (a wildcard host becomes localhost).</summary>
    public static string Origin(string? urls)
    {
        var listening = (urls ?? "http://localhost:5000").Split(';', StringSplitOptions.RemoveEmptyEntries)[0];
        var self = new UriBuilder(listening.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (self.Host is "0.0.0.0" or "[::]")
        {
            self.Host = "localhost";
        }

        return self.Uri.GetLeftPart(UriPartial.Authority);
    }
}

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
    /// <summary>Why the sandbox may not run in <paramref name="environment"/>, or null in Development.</summary>
    public static string? FindProblem(IHostEnvironment environment) => environment.IsDevelopment()
        ? null
        : $"Gorgias:Sandbox is true in {environment.EnvironmentName}: the sandbox is for development only and is refused in every "
            + "other environment. Set ASPNETCORE_ENVIRONMENT=Development, or Gorgias:Sandbox=false with the real Gorgias:ClientId and Gorgias:ClientSecret.";

    /// <summary>Points <c>Gorgias:BaseUrlTemplate</c> and <c>Gorgias:RedirectUri</c> at the app itself, unless they are set.</summary>
    public static void Apply(IConfigurationManager configuration, string sandboxPath)
    {
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

using System.Text.Json;
using System.Xml.Linq;

namespace Gorgias.Integration.Web.Tests.Packaging;

/// <summary>
/// Copies samples/ next to the packed artifacts/packages and builds it there as a user would, with a package cache of
/// its own. Third-party packages are read from the machine's cache (a fallback folder of links to it, leaving out any
/// Gorgias.Integration package an earlier restore put there), so only the Gorgias.Integration packages are new.
/// </summary>
internal static class SampleBuild
{
    private const string GorgiasPrefix = "gorgias.integration.";

    public static string CopySamples(string root, string folder)
    {
        var target = Path.Combine(folder, "samples");
        Copy(new DirectoryInfo(Path.Combine(root, "samples")), target);
        return target;
    }

    public static string PinnedVersion(string samples) =>
        XDocument.Load(Path.Combine(samples, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => p.Attribute("Include")?.Value == "Gorgias.Integration.Hosting").Attribute("Version")!.Value;

    /// <summary>Restores and builds SampleApp in Release; returns its output folder.</summary>
    public static async Task<string> BuildAsync(string samples, string folder)
    {
        var project = Path.Combine(samples, "SampleApp");
        var fallback = ThirdPartyFallback(folder);
        var arguments = new List<string> { "build", project, "-c", "Release", "--disable-build-servers", "-nodeReuse:false" };
        if (fallback is not null)
        {
            arguments.Add($"-p:RestoreAdditionalProjectFallbackFolders={fallback}");
        }

        await DotnetCli.RunAsync(samples, new Dictionary<string, string> { ["NUGET_PACKAGES"] = Cache(folder) }, [.. arguments]);
        return Path.Combine(project, "bin", "Release", "net10.0");
    }

    /// <summary>The source each restored Gorgias.Integration package came from, by lower-case id.</summary>
    public static Dictionary<string, string> RestoredGorgiasPackages(string folder) =>
        Directory.GetDirectories(Cache(folder), GorgiasPrefix + "*").ToDictionary(
            id => Path.GetFileName(id),
            id =>
            {
                var metadata = Directory.GetFiles(id, ".nupkg.metadata", SearchOption.AllDirectories).Single();
                using var json = JsonDocument.Parse(File.ReadAllText(metadata));
                return Path.GetFullPath(json.RootElement.GetProperty("source").GetString()!);
            });

    private static string Cache(string folder) => Path.Combine(folder, "nuget-packages");

    private static string? ThirdPartyFallback(string folder)
    {
        var machine = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        if (!Directory.Exists(machine))
        {
            return null;
        }

        var fallback = Directory.CreateDirectory(Path.Combine(folder, "third-party-packages")).FullName;
        foreach (var package in Directory.GetDirectories(machine))
        {
            var name = Path.GetFileName(package);
            if (!name.StartsWith(GorgiasPrefix, StringComparison.OrdinalIgnoreCase))
            {
                Directory.CreateSymbolicLink(Path.Combine(fallback, name), package);
            }
        }

        return fallback;
    }

    private static void Copy(DirectoryInfo source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in source.GetFiles().Where(f => f.Extension is not ".db" and not ".db-wal" and not ".db-shm"))
        {
            file.CopyTo(Path.Combine(target, file.Name));
        }

        // Build output and local keys of a developer's own run of the sample stay behind.
        foreach (var child in source.GetDirectories().Where(d => d.Name is not "bin" and not "obj" and not ".keys"))
        {
            Copy(child, Path.Combine(target, child.Name));
        }
    }
}

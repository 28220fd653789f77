using System.IO.Compression;
using System.Xml.Linq;

namespace Gorgias.Integration.Web.Tests.Packaging;

/// <summary>What build/pack.sh (dotnet pack on the solution) ships: one package and its symbols per shipped project.</summary>
[Collection(PackedRepository.Collection)]
public sealed class PackageTests(PackedRepository packed)
{
    [Fact]
    public void Pack_WritesAPackageAndItsSymbols_ForEveryShippedProjectAndNothingElse()
    {
        Assert.Equal(PackedRepository.ShippedIds, Ids("*.nupkg"));
        Assert.Equal(PackedRepository.ShippedIds, Ids("*.snupkg"));
    }

    [Fact]
    public void EveryPackage_HasItsReadme_TheMitLicense_ItsXmlDocs_RepositoryMetadata_AndTheOneVersion()
    {
        foreach (var id in PackedRepository.ShippedIds)
        {
            using var package = ZipFile.OpenRead(Path.Combine(packed.Packages, $"{id}.{packed.Version}.nupkg"));
            var nuspec = XDocument.Load(package.GetEntry($"{id}.nuspec")!.Open());
            var ns = nuspec.Root!.GetDefaultNamespace();
            var metadata = nuspec.Root.Element(ns + "metadata")!;

            Assert.Equal("MIT", metadata.Element(ns + "license")?.Value);
            Assert.Equal("expression", metadata.Element(ns + "license")?.Attribute("type")?.Value);
            Assert.Equal("README.md", metadata.Element(ns + "readme")?.Value);
            var readme = new StreamReader(package.GetEntry("README.md")!.Open()).ReadToEnd();
            Assert.StartsWith($"# {id}\n", readme, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")?.Value), $"{id} has no description");
            // A library's docs sit beside it under lib/; the tool's under tools/, with everything it runs.
            Assert.NotNull(package.GetEntry($"lib/net10.0/{id}.xml") ?? package.GetEntry($"tools/net10.0/any/{id}.xml"));

            var repository = metadata.Element(ns + "repository");
            Assert.Equal("git", repository?.Attribute("type")?.Value);
            Assert.Matches("^[0-9a-f]{40}$", repository?.Attribute("commit")?.Value ?? "");

            // Project references became package dependencies on exactly this version of the sibling packages.
            var siblings = metadata.Descendants(ns + "dependency")
                .Where(d => d.Attribute("id")!.Value.StartsWith("Gorgias.Integration.", StringComparison.Ordinal));
            Assert.All(siblings, d => Assert.Equal(packed.Version, d.Attribute("version")!.Value));
        }
    }

    [Fact]
    public void TheCliPackage_IsTheDotnetToolNamedGorgiasIntegration()
    {
        using var package = ZipFile.OpenRead(Path.Combine(packed.Packages, $"Gorgias.Integration.Cli.{packed.Version}.nupkg"));
        var nuspec = XDocument.Load(package.GetEntry("Gorgias.Integration.Cli.nuspec")!.Open());
        var ns = nuspec.Root!.GetDefaultNamespace();
        Assert.Equal("DotnetTool", nuspec.Descendants(ns + "packageType").Single().Attribute("name")?.Value);
        var settings = XDocument.Load(package.GetEntry("tools/net10.0/any/DotnetToolSettings.xml")!.Open());
        var command = settings.Descendants("Command").Single();
        Assert.Equal("gorgias-integration", command.Attribute("Name")?.Value);
        Assert.Equal("Gorgias.Integration.Cli.dll", command.Attribute("EntryPoint")?.Value);
        Assert.NotNull(package.GetEntry("tools/net10.0/any/Gorgias.Integration.Hosting.dll"));
    }

    [Fact]
    public void TheHostingPackage_DependsOnTheCoreTheAdaptersAndTheSandbox()
    {
        using var package = ZipFile.OpenRead(Path.Combine(packed.Packages, $"Gorgias.Integration.Hosting.{packed.Version}.nupkg"));
        var nuspec = XDocument.Load(package.GetEntry("Gorgias.Integration.Hosting.nuspec")!.Open());
        var dependencies = nuspec.Descendants(nuspec.Root!.GetDefaultNamespace() + "dependency").Select(d => d.Attribute("id")!.Value).ToHashSet();

        Assert.Superset(
            new HashSet<string> { "Gorgias.Integration.Application", "Gorgias.Integration.Infrastructure", "Gorgias.Integration.Storage.Sqlite", "Gorgias.Integration.Web", "Gorgias.Integration.Sandbox" },
            dependencies);
    }

    private string[] Ids(string pattern) =>
        [.. Directory.GetFiles(packed.Packages, pattern)
            .Select(f => Path.GetFileName(f)[..^(Path.GetExtension(f).Length + packed.Version.Length + 1)])
            .Order(StringComparer.Ordinal)];
}

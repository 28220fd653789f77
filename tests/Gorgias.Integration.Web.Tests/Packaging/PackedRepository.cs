using System.Text.RegularExpressions;

namespace Gorgias.Integration.Web.Tests.Packaging;

/// <summary>
/// The shipped projects packed once for the tests of the <see cref="Collection"/>, from the build this test runs in (<c>--no-build</c>: a pack never
/// rebuilds the solution while its tests run), into <c>artifacts/packages</c> of a temporary copy of the repository's
/// <c>samples/</c> layout, so the sample's own NuGet.config finds them where a user's clone has them.
/// </summary>
public sealed partial class PackedRepository : IAsyncLifetime
{
    public const string Collection = "packed repository";

    /// <summary>Every project a user can install, and nothing else (no Host, tests, test support or benchmarks).</summary>
    public static readonly string[] ShippedIds =
    [
        "Gorgias.Integration.Application", "Gorgias.Integration.Cli", "Gorgias.Integration.Domain", "Gorgias.Integration.Hosting",
        "Gorgias.Integration.Infrastructure", "Gorgias.Integration.Sandbox", "Gorgias.Integration.Storage.PostgreSql",
        "Gorgias.Integration.Storage.Sqlite", "Gorgias.Integration.Web",
    ];

    public string Root { get; } = RepositoryRoot();

    public string Folder { get; } = Directory.CreateTempSubdirectory("gorgias-packages-").FullName;

    public string Packages => Path.Combine(Folder, "artifacts", "packages");

    /// <summary>The version every package got from build/Packaging.props.</summary>
    public string Version { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0
        await DotnetCli.RunAsync(Root, new Dictionary<string, string>(),
            "pack", Path.Combine(Root, "Gorgias.Integration.sln"), "-c", configuration, "--no-build",
            $"-p:PackageOutputPath={Packages}/");
        var hosting = Directory.GetFiles(Packages, "Gorgias.Integration.Hosting.*.nupkg").Single();
        Version = HostingVersion().Match(Path.GetFileName(hosting)).Groups["version"].Value;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Gorgias.Integration.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Gorgias.Integration.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^Gorgias\.Integration\.Hosting\.(?<version>\d.*)\.nupkg$")]
    private static partial Regex HostingVersion();
}

/// <summary>One pack shared by the package tests and the sample test.</summary>
[CollectionDefinition(PackedRepository.Collection)]
public sealed class PackedRepositoryCollection : ICollectionFixture<PackedRepository>;

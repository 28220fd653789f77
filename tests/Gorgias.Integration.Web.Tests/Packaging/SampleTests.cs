using System.Net;
using System.Text.Json;
using Gorgias.Integration.Testing;

namespace Gorgias.Integration.Web.Tests.Packaging;

/// <summary>
/// samples/ as a user meets it: restored from the packages alone (a fresh package cache, so no earlier restore of the
/// same version can stand in for them), built outside the repository's build settings, run as a process on 127.0.0.1
/// in Development, and one install through it on its own sandbox.
/// </summary>
[Collection(PackedRepository.Collection)]
public sealed class SampleTests(PackedRepository packed)
{
    [Fact]
    public async Task Sample_BuiltFromThePackages_CompletesAnInstallOnTheSandbox()
    {
        var samples = SampleBuild.CopySamples(packed.Root, packed.Folder);
        Assert.True(SampleBuild.PinnedVersion(samples) == packed.Version,
            $"samples/Directory.Packages.props pins Gorgias.Integration.Hosting {SampleBuild.PinnedVersion(samples)}, but the build packs "
            + $"{packed.Version} (VersionPrefix in build/Packaging.props): pin the same version in the sample.");

        var output = await SampleBuild.BuildAsync(samples, packed.Folder);

        // Every Gorgias.Integration package came from the folder, none from another source or an older cache.
        var restored = SampleBuild.RestoredGorgiasPackages(packed.Folder);
        Assert.Contains("gorgias.integration.hosting", restored.Keys);
        Assert.All(restored, p => Assert.Equal(Path.GetFullPath(packed.Packages), p.Value));

        await using var app = await SampleProcess.StartAsync(output, HostProcess.FreePort());
        using var http = LoopbackBrowser.CreateHttpClient();
        using var browser = new LoopbackBrowser(http);
        Assert.Equal(HttpStatusCode.OK, await browser.InstallAsync(app.Address, "acme"));

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(app.Address, "/installations/acme"));
        request.Headers.Authorization = new("Bearer", AdminKey(samples));
        using var installation = await http.SendAsync(request);
        var body = await installation.Content.ReadAsStringAsync();
        Assert.True(installation.StatusCode == HttpStatusCode.OK, $"{installation.StatusCode}: {body}\n{app.Output}");
        Assert.Equal("Active", JsonDocument.Parse(body).RootElement.GetProperty("status").GetString());
    }

    /// <summary>The sample's own development key, as a user of the sample would copy it.</summary>
    private static string AdminKey(string samples)
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(samples, "SampleApp", "appsettings.Development.json")));
        return settings.RootElement.GetProperty("Integration").GetProperty("AdminApiKey").GetString()!;
    }
}

using System.Net;
using System.Text.RegularExpressions;
using Gorgias.Integration.Testing;

namespace Gorgias.Integration.Web.Tests.Embedding;

/// <summary>
/// The one entry point as a user meets it: the README's embed snippet compiles as written, and a fresh app built from
/// exactly that snippet installs the app into a sandbox account and protects its admin routes.
/// </summary>
public sealed partial class EmbeddingTests : IDisposable
{
    private const string AdminKey = "embed-test-admin-key-Zq3vR8pL2xN7tK4wY9mB";
    private readonly string _folder = Directory.CreateTempSubdirectory("gorgias-embed-").FullName;

    [Fact]
    public void ReadmeEmbedSnippet_IsTheCodeTheTestsCompile()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var block = EmbedBlock().Match(readme);
        Assert.True(block.Success, "README.md has no ```csharp block under '## Embed it'.");
        var readmeLines = Lines(block.Groups["code"].Value)
            .Where(l => !l.StartsWith("using ", StringComparison.Ordinal) && l != "app.Run();")
            .ToList();

        var source = File.ReadAllText(Path.Combine(root, "tests", "Gorgias.Integration.Web.Tests", "Embedding", "ReadmeEmbed.cs"));
        var compiled = Lines(source[(source.IndexOf("readme-embed:start", StringComparison.Ordinal) + 18)..source.IndexOf("// readme-embed:end", StringComparison.Ordinal)]).ToList();

        Assert.Equal(compiled, readmeLines);
        Assert.True(readmeLines.Count <= 5, $"The embed takes {readmeLines.Count} lines of Program.cs; the goal is at most 5.");
    }

    [Fact]
    public async Task AppBuiltFromTheReadmeSnippet_InstallsIntoTheSandbox_AndProtectsTheAdminRoutes()
    {
        var port = HostProcess.FreePort();
        var address = new Uri($"http://127.0.0.1:{port}/");
        await using var app = ReadmeEmbed.Build(
        [
            $"--urls={address.ToString().TrimEnd('/')}",
            "--environment=Development",
            "--Gorgias:Sandbox=true",
            "--Gorgias:ClientId=embed-client",
            "--Gorgias:ClientSecret=embed-secret-not-real",
            $"--Integration:AdminApiKey={AdminKey}",
            $"--ConnectionStrings:Integration=Data Source={Path.Combine(_folder, "embed.db")}",
            $"--DataProtection:KeysPath={Path.Combine(_folder, "keys")}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
        try
        {
            using var http = LoopbackBrowser.CreateHttpClient();
            using var browser = new LoopbackBrowser(http);
            Assert.Equal(HttpStatusCode.OK, await browser.InstallAsync(address, "acme"));

            using var anonymous = await http.GetAsync(new Uri(address, "/installations/acme"));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address, "/installations/acme"));
            request.Headers.Authorization = new("Bearer", AdminKey);
            using var admin = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
            Assert.Contains("\"status\":\"Active\"", await admin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("//", StringComparison.Ordinal))
            .Select(l => CommentAtEnd().Replace(l, ""));

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Gorgias.Integration.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Gorgias.Integration.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"## Embed it[^\n]*\n(?:(?!```)[\s\S])*```csharp\n(?<code>[\s\S]*?)```")]
    private static partial Regex EmbedBlock();

    [GeneratedRegex(@"\s*//.*$")]
    private static partial Regex CommentAtEnd();
}

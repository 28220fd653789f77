using System.Reflection;
using PublicApiGenerator;

namespace Gorgias.Integration.Architecture.Tests;

/// <summary>
/// The public surface a host app compiles against, pinned per shipped assembly in <c>PublicApi/*.approved.txt</c>, so
/// that any change to it shows up in review as a diff of those files. To accept a deliberate change, run the tests with
/// <c>GORGIAS_ACCEPT_PUBLIC_API=1</c> and commit the rewritten files.
/// </summary>
public sealed class PublicApiTests
{
    public static TheoryData<string> ShippedAssemblies() =>
    [
        "Gorgias.Integration.Domain",
        "Gorgias.Integration.Application",
        "Gorgias.Integration.Infrastructure",
        "Gorgias.Integration.Storage.Sqlite",
        "Gorgias.Integration.Storage.PostgreSql",
        "Gorgias.Integration.Web",
        "Gorgias.Integration.Hosting",
        "Gorgias.Integration.Sandbox",
    ];

    [Theory]
    [MemberData(nameof(ShippedAssemblies))]
    public void PublicApi_IsTheApprovedOne(string assemblyName)
    {
        var api = Assembly.Load(assemblyName).GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false })
            .ReplaceLineEndings("\n");
        var approvedPath = Path.Combine(ProjectFolder(), "PublicApi", assemblyName + ".approved.txt");

        if (Environment.GetEnvironmentVariable("GORGIAS_ACCEPT_PUBLIC_API") == "1")
        {
            File.WriteAllText(approvedPath, api);
        }

        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        Assert.True(approved == api,
            $"The public API of {assemblyName} differs from {approvedPath}. If the change is intended, run the tests with " +
            "GORGIAS_ACCEPT_PUBLIC_API=1 and commit the file. The API now:\n" + api);
    }

    private static string ProjectFolder()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Gorgias.Integration.Architecture.Tests.csproj")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("The test project's folder was not found above " + AppContext.BaseDirectory);
    }
}

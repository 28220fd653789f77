using System.Text.RegularExpressions;

namespace Gorgias.Integration.Architecture.Tests;

/// <summary>
/// docs/SECURITY.md maps every row of the threat matrix to its tests: each test it names must exist, so a renamed or
/// deleted test cannot leave a row pointing at nothing.
/// </summary>
public sealed partial class ThreatMatrixTests
{
    [Fact]
    public void EveryTestTheThreatMatrixNames_ExistsInItsProject()
    {
        var root = RepositoryRoot();
        var matrix = File.ReadAllText(Path.Combine(root, "docs", "SECURITY.md"));
        var cited = CitedTest().Matches(matrix).Select(m => (Project: m.Groups["project"].Value, Class: m.Groups["class"].Value, Method: m.Groups["method"].Value)).ToList();
        Assert.True(cited.Count > 100, $"docs/SECURITY.md names only {cited.Count} tests; the pattern no longer matches its format.");

        var missing = new List<string>();
        foreach (var (project, type, method) in cited.Distinct())
        {
            var folder = Path.Combine(root, "tests", $"Gorgias.Integration.{project}.Tests");
            var declared = Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Select(File.ReadAllText)
                .Any(text => Regex.IsMatch(text, $@"\bclass {type}\b") && Regex.IsMatch(text, $@"\b{method}\("));
            if (!declared)
            {
                missing.Add($"{project}: {type}.{method}");
            }
        }

        Assert.True(missing.Count == 0, "docs/SECURITY.md names tests that do not exist:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void EveryRowOfTheThreatMatrix_IsInTheDocument()
    {
        var matrix = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "SECURITY.md"));
        var rows = TableRow().Matches(matrix).Select(m => int.Parse(m.Groups["row"].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, 63), rows);
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

    [GeneratedRegex(@"(?<project>[A-Z][A-Za-z.]+): `(?<class>[A-Z][A-Za-z0-9]+)\.(?<method>[A-Za-z0-9_]+)`")]
    private static partial Regex CitedTest();

    [GeneratedRegex(@"^\| (?<row>\d+) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}

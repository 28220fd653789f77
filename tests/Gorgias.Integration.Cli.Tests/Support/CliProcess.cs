using System.Diagnostics;
using System.Text;
using Gorgias.Integration.Testing;

namespace Gorgias.Integration.Cli.Tests.Support;

/// <summary>What one run of the tool printed and how it exited.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>Everything it printed, for assertions that hold for both streams (no token anywhere).</summary>
    public string All => Output + Error;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs <c>gorgias-integration</c> as its own operating-system process, <c>dotnet Gorgias.Integration.Cli.dll …</c>, with
/// the dll this test project built (found through the assembly, not a path guessed from the folder layout), a working
/// directory and environment variables of the test's choosing, and nothing inherited that could configure it.
/// </summary>
public static class CliProcess
{
    // A safety net against a hung child, not a performance assertion.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    public static string ToolPath { get; } = typeof(CliApplication).Assembly.Location;

    public static Task<CliRun> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        RunAsync(new ProcessStartInfo("dotnet"), workingDirectory, environment, [ToolPath, .. arguments]);

    /// <summary>
    /// Runs the tool with its stdout on a pseudo-terminal, as in an operator's shell: util-linux's <c>script</c> allocates
    /// the terminal and copies what the tool drew on it to its own stdout.
    /// </summary>
    public static Task<CliRun> RunInTerminalAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var commandLine = string.Join(' ', new[] { "dotnet", ToolPath }.Concat(arguments).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var terminal = new Dictionary<string, string>(environment) { ["TERM"] = "xterm-256color", ["COLUMNS"] = "160" };
        return RunAsync(new ProcessStartInfo("script"), workingDirectory, terminal, ["--quiet", "--return", "--command", commandLine, "/dev/null"]);
    }

    private static async Task<CliRun> RunAsync(ProcessStartInfo info, string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] arguments)
    {
        info = new ProcessStartInfo(info.FileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The test runner's own settings must not leak into the tool's configuration.
        foreach (var key in info.Environment.Keys.Where(IsConfiguration).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var run = await ChildProcess.RunAsync(info, Limit);
        return new CliRun(run.ExitCode, run.Output, run.Error);
    }

    private static bool IsConfiguration(string key) =>
        key.StartsWith("Gorgias__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Integration__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("DataProtection__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
        || key is "DOTNET_ENVIRONMENT" or "ASPNETCORE_ENVIRONMENT";
}

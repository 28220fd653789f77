using System.Diagnostics;
using Gorgias.Integration.Testing;

namespace Gorgias.Integration.Web.Tests.Packaging;

/// <summary>Runs the dotnet CLI as a child process to completion and fails with its whole output when it fails.</summary>
internal static class DotnetCli
{
    // A safety net against a hung child, not a performance assertion: a contended 2-core machine builds slowly.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    public static async Task RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var run = await ChildProcess.RunAsync(Start(workingDirectory, environment, arguments), Limit);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} exited with {run.ExitCode}:\n{run.Output}\n{run.Error}");
        }
    }

    public static ProcessStartInfo Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The test host runs under dotnet test, whose MSBuild settings must not steer a separate build.
        foreach (var inherited in info.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(inherited);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return info;
    }

}

using System.CommandLine;
using Gorgias.Integration.Cli.Commands;

namespace Gorgias.Integration.Cli;

/// <summary>
/// The command tree of <c>gorgias-integration</c> and its one rule for the exit code: a command line that does not
/// parse is bad usage (2) and runs nothing; otherwise the command decides (0 ok, 1 failed).
/// </summary>
internal static class CliApplication
{
    public const string ToolName = "gorgias-integration";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var global = new GlobalOptions();
        var root = new RootCommand("Operates a Gorgias.Integration deployment with the Host's configuration: migrate the database, "
            + "list, refresh and uninstall installations, call the Gorgias API as an account, check the setup.");
        global.AddTo(root);
        var context = new CommandContext(global, output, error);
        root.Subcommands.Add(MigrateCommand.Create(context));
        root.Subcommands.Add(InstallationsCommand.Create(context));
        root.Subcommands.Add(ApiCommand.Create(context));
        root.Subcommands.Add(DoctorCommand.Create(context));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync(parseError.Message);
            }

            await error.WriteLineAsync($"Run '{ToolName} --help' for the commands and their options.");
            return ExitCodes.BadUsage;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }
}

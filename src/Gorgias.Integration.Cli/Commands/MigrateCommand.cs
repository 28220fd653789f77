using System.CommandLine;
using Gorgias.Integration.Application.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Cli.Commands;

/// <summary><c>migrate</c>: brings the database's schema up to this build's version; running it again changes nothing.</summary>
internal static class MigrateCommand
{
    public static Command Create(CommandContext context)
    {
        var command = new Command("migrate", "Applies the database migrations this build has (idempotent; safe beside running instances).");
        command.SetAction((result, cancellationToken) => context.RunAsync(result, async (host, cli, ct) =>
        {
            var migration = await host.Services.GetRequiredService<IStorageSchema>().MigrateAsync(ct);
            var status = migration.Status;
            if (cli.Json)
            {
                cli.WriteJson(new
                {
                    storage = status.Storage,
                    applied = migration.Applied,
                    version = status.CurrentVersion,
                    latestVersion = status.LatestVersion,
                });
            }
            else
            {
                cli.Line(migration.Applied == 0
                    ? $"{status.Storage}: already at schema version {status.CurrentVersion} of {status.LatestVersion}, nothing to apply."
                    : $"{status.Storage}: applied {migration.Applied} migration(s), now at schema version {status.CurrentVersion} of {status.LatestVersion}.");
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}

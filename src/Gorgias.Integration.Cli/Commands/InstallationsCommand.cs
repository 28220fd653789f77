using System.CommandLine;
using System.Globalization;
using Gorgias.Integration.Application.Installations.GetInstallation;
using Gorgias.Integration.Application.Installations.ListInstallations;
using Gorgias.Integration.Application.Installations.Uninstall;
using Spectre.Console;

namespace Gorgias.Integration.Cli.Commands;

/// <summary><c>installations list | show | refresh | uninstall</c>: the admin API's use cases, without HTTP.</summary>
internal static class InstallationsCommand
{
    public static Command Create(CommandContext context)
    {
        var command = new Command("installations", "Lists, shows, refreshes and uninstalls installations.");
        command.Subcommands.Add(List(context));
        command.Subcommands.Add(Show(context));
        command.Subcommands.Add(RefreshCommand.Create(context));
        command.Subcommands.Add(Uninstall(context));
        return command;
    }

    private static Command List(CommandContext context)
    {
        var command = new Command("list", "Every installation with its status, scopes, token expiry and refresh failures (never a token).");
        command.SetAction((result, cancellationToken) => context.RunAsync(result, async (host, cli, ct) =>
        {
            var all = await CommandContext.SendAsync(host, new ListInstallationsQuery(), ct);
            if (cli.Json)
            {
                cli.WriteJson(new { installations = all.Select(InstallationJson.From) });
                return ExitCodes.Ok;
            }

            if (all.Count == 0)
            {
                cli.Line("No installations.");
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("Account", "Status", "Access token expires", "Failures", "Last error", "Scopes");
            foreach (var view in all)
            {
                table.AddRow(
                    new Text(view.Account.Value), new Text(view.Status.ToString()), new Text(Format(view.AccessTokenExpiresAt)),
                    new Text(view.ConsecutiveRefreshFailures.ToString(CultureInfo.InvariantCulture)), new Text(view.LastRefreshError ?? "-"),
                    new Text(string.Join(' ', view.Scopes)));
            }

            cli.Console.Write(table);
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Show(CommandContext context)
    {
        var account = CommandContext.AccountArgument("The Gorgias account, e.g. acme for acme.gorgias.com.");
        var command = new Command("show", "One installation's status, scopes, token expiry and refresh failures (never a token).") { account };
        command.SetAction((result, cancellationToken) => context.RunAsync(result, async (host, cli, ct) =>
        {
            var found = await CommandContext.SendAsync(host, new GetInstallationQuery(result.GetValue(account)), ct);
            if (!found.IsSuccess)
            {
                return CommandContext.Fail(cli, found.Error);
            }

            var view = found.Value;
            if (cli.Json)
            {
                cli.WriteJson(InstallationJson.From(view));
                return ExitCodes.Ok;
            }

            var grid = new Grid().AddColumn().AddColumn();
            void Row(string name, string value) => grid.AddRow(new Text(name), new Text(value));
            Row("Account", view.Account.Value);
            Row("Status", view.Status.ToString());
            Row("Scopes", string.Join(' ', view.Scopes));
            Row("Installed", Format(view.CreatedAt));
            Row("Last authorized", Format(view.ActivatedAt));
            Row("Status changed", Format(view.UpdatedAt));
            Row("Access token expires", Format(view.AccessTokenExpiresAt));
            Row("Refresh failures in a row", view.ConsecutiveRefreshFailures.ToString(CultureInfo.InvariantCulture));
            Row("Last refresh error", view.LastRefreshError ?? "-");
            Row("Next refresh attempt", Format(view.NextRefreshAttemptAt));
            cli.Console.Write(grid);
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Uninstall(CommandContext context)
    {
        var account = CommandContext.AccountArgument("The Gorgias account to uninstall the app from.");
        var command = new Command("uninstall", "Revokes the account's refresh token at Gorgias and wipes the stored tokens.") { account };
        command.SetAction((result, cancellationToken) => context.RunAsync(result, async (host, cli, ct) =>
        {
            var done = await CommandContext.SendAsync(host, new UninstallCommand(result.GetValue(account)), ct);
            if (!done.IsSuccess)
            {
                return CommandContext.Fail(cli, done.Error);
            }

            if (cli.Json)
            {
                cli.WriteJson(new { account = done.Value.Account.Value, uninstalled = true, revoked = done.Value.Revoked });
            }
            else
            {
                cli.Line(done.Value.Revoked
                    ? $"Uninstalled {done.Value.Account}: Gorgias confirmed the revocation and the tokens are wiped."
                    : $"Uninstalled {done.Value.Account}: the tokens are wiped; Gorgias could not be reached, so the revocation is queued "
                        + "and the Host's background maintenance retries it.");
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    /// <summary>An instant for a person: UTC, to the second, or "-".</summary>
    internal static string Format(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";
}

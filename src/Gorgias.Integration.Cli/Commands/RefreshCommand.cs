using System.CommandLine;
using Gorgias.Integration.Application.Installations.ListInstallations;
using Gorgias.Integration.Application.Installations.RefreshToken;
using Gorgias.Integration.Domain.Installations;
using Spectre.Console;

namespace Gorgias.Integration.Cli.Commands;

/// <summary>
/// <c>installations refresh &lt;account&gt;</c> and <c>installations refresh --all</c>: renews access tokens now, through the
/// same single-flight refresher and cross-instance lease as the Host, one account after the other.
/// </summary>
internal static class RefreshCommand
{
    public static Command Create(CommandContext context)
    {
        var account = CommandContext.AccountArgument("The Gorgias account whose access token to renew.");
        account.Arity = ArgumentArity.ZeroOrOne;
        var all = new Option<bool>("--all") { Description = "Renews every installation that holds tokens (Active or RefreshFailing)." };
        var command = new Command("refresh", "Renews an access token now, or every one with --all (a progress bar on a terminal).") { account, all };
        command.Validators.Add(result =>
        {
            var named = result.GetValue(account) is not null;
            var everything = result.GetValue(all);
            if (named == everything)
            {
                result.AddError(named
                    ? "Give an account or --all, not both: 'installations refresh acme' or 'installations refresh --all'."
                    : "Name the account to refresh, e.g. 'installations refresh acme', or refresh every installation with --all.");
            }
        });
        command.SetAction((result, cancellationToken) => context.RunAsync(result, async (host, cli, ct) =>
            result.GetValue(all) ? await RefreshAllAsync(host, cli, ct) : await RefreshOneAsync(host, cli, result.GetValue(account)!, ct),
            cancellationToken));
        return command;
    }

    private static async Task<int> RefreshOneAsync(CliHost host, CliOutput cli, string account, CancellationToken cancellationToken)
    {
        var outcome = await RefreshAsync(host, account, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(outcome);
        }

        if (outcome.Error is { } error)
        {
            if (!cli.Json)
            {
                cli.Fail(error.Code, $"Refreshing {outcome.Account} failed ({error.Code}): {error.Message}");
            }

            return ExitCodes.Failed;
        }

        if (!cli.Json)
        {
            cli.Line($"Refreshed {outcome.Account}: the access token now expires at {InstallationsCommand.Format(outcome.AccessTokenExpiresAt)}.");
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> RefreshAllAsync(CliHost host, CliOutput cli, CancellationToken cancellationToken)
    {
        var installations = await CommandContext.SendAsync(host, new ListInstallationsQuery(), cancellationToken);
        var accounts = installations
            .Where(i => i.Status is InstallationStatus.Active or InstallationStatus.RefreshFailing)
            .Select(i => i.Account.Value)
            .ToList();
        var outcomes = new List<RefreshJson>(accounts.Count);
        if (cli.Interactive && accounts.Count > 0)
        {
            await cli.Console.Progress().StartAsync(async progress =>
            {
                var bar = progress.AddTask("Refreshing access tokens", maxValue: accounts.Count);
                foreach (var account in accounts)
                {
                    bar.Description = $"Refreshing {account}";
                    outcomes.Add(await RefreshAsync(host, account, cancellationToken));
                    bar.Increment(1);
                }

                bar.Description = "Refreshed access tokens";
            });
        }
        else
        {
            foreach (var account in accounts)
            {
                outcomes.Add(await RefreshAsync(host, account, cancellationToken));
            }
        }

        var failed = outcomes.Count(o => !o.Refreshed);
        if (cli.Json)
        {
            cli.WriteJson(new { results = outcomes, refreshed = outcomes.Count - failed, failed });
        }
        else if (outcomes.Count == 0)
        {
            cli.Line("No installation holds tokens to refresh.");
        }
        else
        {
            var table = new Table().AddColumns("Account", "Outcome", "Access token expires");
            foreach (var outcome in outcomes)
            {
                table.AddRow(
                    new Text(outcome.Account),
                    new Text(outcome.Error is { } error ? $"failed ({error.Code}): {error.Message}" : "refreshed"),
                    new Text(InstallationsCommand.Format(outcome.AccessTokenExpiresAt)));
            }

            cli.Console.Write(table);
            cli.Line($"{outcomes.Count - failed} refreshed, {failed} failed.");
        }

        return failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static async Task<RefreshJson> RefreshAsync(CliHost host, string account, CancellationToken cancellationToken)
    {
        var outcome = await CommandContext.SendAsync(host, new RefreshTokenCommand(account), cancellationToken);
        return outcome.IsSuccess
            ? new RefreshJson(outcome.Value.Account.Value, true, outcome.Value.AccessTokenExpiresAt, null)
            : new RefreshJson(account, false, null, new ErrorJson(outcome.Error.Code, outcome.Error.Message));
    }
}

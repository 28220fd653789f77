using System.CommandLine;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Installations.GetGorgiasAccount;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Domain.Installations;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Cli.Commands;

/// <summary>
/// <c>doctor</c>: checks a deployment's setup in order (configuration, database, keys, Gorgias), one line each: ok, or
/// what to fix. A check whose prerequisite failed is skipped, not failed again. The database is read, never migrated;
/// the one write is Data Protection's own, a first key in a key ring that has none, as the Host's first start makes.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create(CommandContext context)
    {
        var account = new Option<string?>("--account")
        {
            Description = "An installed account: its stored tokens are decrypted and Gorgias's GET /api/account is called with them.",
        };
        account.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && !AccountName.TryParse(value, out _, out var problem))
            {
                result.AddError($"'{value}' is not a Gorgias account: {problem}");
            }
        });
        var command = new Command("doctor", "Checks the configuration, the database, the Data Protection keys and Gorgias; one line each.") { account };
        command.SetAction(async (result, cancellationToken) =>
        {
            var cli = context.CreateOutput(result);
            await using var host = CliHost.Compose(context.Global.Read(result));
            var checks = await RunChecksAsync(host, result.GetValue(account), cancellationToken);
            var ok = checks.TrueForAll(c => c.Ok != false);
            if (cli.Json)
            {
                cli.WriteJson(new { ok, checks });
            }
            else
            {
                foreach (var check in checks)
                {
                    var mark = check.Ok switch { true => "ok  ", false => "FAIL", null => "skip" };
                    cli.Line($"{mark}  {check.Name,-13} {check.Detail}");
                }
            }

            return ok ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static async Task<List<DoctorCheck>> RunChecksAsync(CliHost host, string? account, CancellationToken cancellationToken)
    {
        var checks = new List<DoctorCheck>();
        var configuration = CheckConfiguration(host);
        checks.Add(configuration);
        if (configuration.Ok != true)
        {
            checks.Add(DoctorCheck.Skipped("database", "fix the configuration first"));
            checks.Add(DoctorCheck.Skipped("keys", "fix the configuration first"));
            checks.Add(DoctorCheck.Skipped("gorgias", "fix the configuration first"));
            return checks;
        }

        var database = await CheckDatabaseAsync(host, cancellationToken);
        checks.Add(database);
        if (database.Ok != true)
        {
            checks.Add(DoctorCheck.Skipped("keys", "fix the database first"));
            checks.Add(DoctorCheck.Skipped("gorgias", "fix the database first"));
            return checks;
        }

        var keys = await CheckKeysAsync(host, account, cancellationToken);
        checks.Add(keys);
        checks.Add(account is null
            ? DoctorCheck.Skipped("gorgias", "give --account <account> to call Gorgias with an installation's token")
            : keys.Ok != true
                ? DoctorCheck.Skipped("gorgias", "fix the keys first")
                : await CheckGorgiasAsync(host, account, cancellationToken));
        return checks;
    }

    private static DoctorCheck CheckConfiguration(CliHost host)
    {
        if (host.Problems.Count > 0)
        {
            return DoctorCheck.Failed("configuration", string.Join(" ", host.Problems));
        }

        try
        {
            // Every problem of the Gorgias:* keys at once, as the Host reports them at start-up.
            var gorgias = host.Services.GetRequiredService<IOptions<GorgiasOptions>>().Value;
            return DoctorCheck.Passed("configuration", $"{host.Storage}; Gorgias at {gorgias.BaseUrlTemplate}, client {gorgias.ClientId}");
        }
        catch (OptionsValidationException ex)
        {
            return DoctorCheck.Failed("configuration", string.Join(" ", ex.Failures));
        }
    }

    private static async Task<DoctorCheck> CheckDatabaseAsync(CliHost host, CancellationToken cancellationToken)
    {
        try
        {
            var status = await host.Services.GetRequiredService<IStorageSchema>().GetStatusAsync(cancellationToken);
            return status.CurrentVersion switch
            {
                var v when v == status.LatestVersion => DoctorCheck.Passed("database", $"{status.Storage} is reachable, schema version {v} (latest)"),
                0 => DoctorCheck.Failed("database", $"{status.Storage} has no schema yet: run '{CliApplication.ToolName} migrate' (or start the Host once)"),
                var v when v < status.LatestVersion => DoctorCheck.Failed("database",
                    $"{status.Storage} is at schema version {v} of {status.LatestVersion}: run '{CliApplication.ToolName} migrate'"),
                var v => DoctorCheck.Failed("database",
                    $"{status.Storage} is at schema version {v}, newer than this build's {status.LatestVersion}: update {CliApplication.ToolName}"),
            };
        }
        catch (InvalidOperationException ex)
        {
            return DoctorCheck.Failed("database", ex.Message);
        }
    }

    private static async Task<DoctorCheck> CheckKeysAsync(CliHost host, string? account, CancellationToken cancellationToken)
    {
        try
        {
            var target = account is not null ? AccountName.Parse(account) : await FirstActiveAsync(host, cancellationToken);
            if (target is not null)
            {
                // Reading a token set decrypts both tokens: the key ring this process sees is the one that encrypted them.
                var tokens = await host.Services.GetRequiredService<ITokenSetRepository>().FindAsync(target, cancellationToken);
                return tokens is not null
                    ? DoctorCheck.Passed("keys", $"decrypted the stored tokens of {target}")
                    : DoctorCheck.Failed("keys", $"{target} holds no tokens (not installed, or uninstalled): install it, or give another --account");
            }

            var protector = host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Gorgias.Integration.Cli.Doctor");
            const string probe = "doctor-probe";
            return protector.Unprotect(protector.Protect(probe)) == probe
                ? DoctorCheck.Passed("keys", "the key ring encrypts and decrypts (no stored token to try)")
                : DoctorCheck.Failed("keys", "the key ring gave back something else than it encrypted");
        }
        catch (OptionsValidationException ex)
        {
            return DoctorCheck.Failed("keys", string.Join(" ", ex.Failures));
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            return DoctorCheck.Failed("keys",
                $"the stored tokens cannot be decrypted ({ex.Message}): point DataProtection:KeysPath at the key folder the Host uses "
                + "(with PostgreSQL the key ring is in the database unless DataProtection:KeysPath is set)");
        }
    }

    private static async Task<AccountName?> FirstActiveAsync(CliHost host, CancellationToken cancellationToken)
    {
        var installations = await host.Services.GetRequiredService<IInstallationRepository>().ListAsync(cancellationToken);
        return installations.FirstOrDefault(i => i.Status is InstallationStatus.Active or InstallationStatus.RefreshFailing)?.Account;
    }

    private static async Task<DoctorCheck> CheckGorgiasAsync(CliHost host, string account, CancellationToken cancellationToken)
    {
        var answer = await CommandContext.SendAsync(host, new GetGorgiasAccountQuery(account), cancellationToken);
        return answer.IsSuccess
            ? DoctorCheck.Passed("gorgias", $"GET /api/account answered for {account} (domain {answer.Value.Domain}, status {answer.Value.Status ?? "unknown"})")
            : DoctorCheck.Failed("gorgias", $"GET /api/account for {account} failed ({answer.Error.Code}): {answer.Error.Message}");
    }
}

/// <summary>One line of <c>doctor</c>: its name, ok (true), failed (false) or skipped (null), and what it found or what to fix.</summary>
internal sealed record DoctorCheck(string Name, bool? Ok, string Detail)
{
    public static DoctorCheck Passed(string name, string detail) => new(name, true, detail);

    public static DoctorCheck Failed(string name, string detail) => new(name, false, detail);

    public static DoctorCheck Skipped(string name, string detail) => new(name, null, detail);
}

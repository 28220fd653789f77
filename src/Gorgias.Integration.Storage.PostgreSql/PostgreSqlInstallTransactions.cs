using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Gorgias.Integration.Infrastructure.Secrets;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>
/// The two transactions that write more than one table: a completed install (installation + token set) and an
/// uninstall (installation + token set deletion + pending revocation). Each first writes the installation row with
/// its version check, which locks that row: a concurrent install or uninstall of the account waits, then finds the
/// version changed. A <see cref="Application.Common.ConcurrencyException"/> rolls the transaction back whole.
/// </summary>
internal sealed class PostgreSqlInstallTransactions(PostgreSqlDatabase database, SecretProtector protector) : IInstallRecorder, IUninstallRecorder
{
    public async Task RecordInstallAsync(Installation installation, TokenSet tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(installation);
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Account != installation.Account)
        {
            throw new ArgumentException(
                $"The token set is for '{tokens.Account}', the installation for '{installation.Account}'.", nameof(tokens));
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgreSqlInstallationRows.SaveAsync(database, connection, transaction, installation, cancellationToken);
        await PostgreSqlTokenSetRows.UpsertAsync(database, connection, transaction, tokens, protector, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task RecordUninstallAsync(Installation installation, TokenSet? wiped, PendingRevocation? revocationToRetry,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(installation);
        if (wiped is not null && wiped.Account != installation.Account)
        {
            throw new ArgumentException($"The token set is for '{wiped.Account}', the installation for '{installation.Account}'.", nameof(wiped));
        }

        if (installation.Status != InstallationStatus.Uninstalled)
        {
            throw new ArgumentException($"Installation '{installation.Account}' is {installation.Status}, not uninstalled.", nameof(installation));
        }

        if (revocationToRetry is not null && revocationToRetry.Account != installation.Account)
        {
            throw new ArgumentException(
                $"The revocation is for '{revocationToRetry.Account}', the installation for '{installation.Account}'.", nameof(revocationToRetry));
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgreSqlInstallationRows.SaveAsync(database, connection, transaction, installation, cancellationToken);
        await PostgreSqlTokenSetRows.DeleteReadAsync(database, connection, transaction, installation.Account, wiped, cancellationToken);
        if (revocationToRetry is not null)
        {
            await PostgreSqlPendingRevocationRows.QueueAsync(database, connection, transaction, revocationToRetry, protector, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}

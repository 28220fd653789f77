using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Gorgias.Integration.Infrastructure.Secrets;

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>
/// The two transactions that write more than one table: a completed install (installation + token set) and an
/// uninstall (installation + token set deletion + pending revocation). Each runs under <c>BEGIN IMMEDIATE</c>, so it
/// holds the write lock from its first read; a <see cref="Application.Common.ConcurrencyException"/> rolls it back whole.
/// </summary>
internal sealed class SqliteInstallTransactions(SqliteDatabase database, SecretProtector protector) : IInstallRecorder, IUninstallRecorder
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

        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        await using var transaction = SqliteDatabase.BeginImmediateTransaction(connection);
        await SqliteInstallationRows.SaveAsync(connection, transaction, installation, cancellationToken);
        await SqliteTokenSetRows.UpsertAsync(connection, transaction, tokens, protector, cancellationToken);
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

        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        await using var transaction = SqliteDatabase.BeginImmediateTransaction(connection);
        await SqliteInstallationRows.SaveAsync(connection, transaction, installation, cancellationToken);

        await SqliteTokenSetRows.DeleteReadAsync(connection, transaction, installation.Account, wiped, cancellationToken);
        if (revocationToRetry is not null)
        {
            await SqlitePendingRevocationRows.QueueAsync(connection, transaction, revocationToRetry, protector, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}

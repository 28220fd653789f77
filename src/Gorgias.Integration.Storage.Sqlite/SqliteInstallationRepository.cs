using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Data.Sqlite;
using static Gorgias.Integration.Storage.Sqlite.SqliteInstallationRows;

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>Installations in <c>installations</c>, with optimistic concurrency on <c>version</c>; writes no other table.</summary>
internal sealed class SqliteInstallationRepository(SqliteDatabase database) : IInstallationRepository
{
    public async Task<Installation?> FindAsync(AccountName account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        // Every callback, uninstall and refresh reads one: the reader's compiled statement, not Dapper.
        await using var connection = await database.OpenAsync(cancellationToken);
        var command = connection.Statement(FindSql);
        command.Bind("@Account", SqliteType.Text, account.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<Installation>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<InstallationRow>(new CommandDefinition(ListSql, cancellationToken: cancellationToken));
        return [.. rows.Select(row => row.ToDomain())];
    }

    public async Task<IReadOnlyList<Installation>> ListAsync(AccountName? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<InstallationRow>(new CommandDefinition(
            ListPageSql, new { After = after?.Value, Limit = limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(row => row.ToDomain())];
    }

    public async Task SaveAsync(Installation installation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(installation);
        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        await SqliteInstallationRows.SaveAsync(connection, transaction: null, installation, cancellationToken);
    }
}

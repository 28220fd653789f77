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
        return await ReadAllAsync(connection.Statement(ListSql), cancellationToken);
    }

    public async Task<IReadOnlyList<Installation>> ListAsync(AccountName? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenAsync(cancellationToken);
        var command = connection.Statement(ListPageSql);
        command.Bind("@After", SqliteType.Text, after?.Value);
        command.Bind("@Limit", SqliteType.Integer, limit);
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task SaveAsync(Installation installation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(installation);
        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        await SqliteInstallationRows.SaveAsync(connection, transaction: null, installation, cancellationToken);
    }

    private static async Task<IReadOnlyList<Installation>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var installations = new List<Installation>();
        while (await reader.ReadAsync(cancellationToken))
        {
            installations.Add(Read(reader));
        }

        return installations;
    }
}

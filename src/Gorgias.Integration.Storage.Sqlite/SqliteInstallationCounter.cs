using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>
/// Installations by status in one <c>GROUP BY</c> over <c>installations</c> (no index on status: a scan, run at most
/// once per the gauge's freshness interval, and reading no token).
/// </summary>
internal sealed class SqliteInstallationCounter(SqliteDatabase database) : IInstallationCounter
{
    internal const string CountSql = "SELECT status AS Status, COUNT(*) AS Count FROM installations GROUP BY status;";

    public async Task<IReadOnlyDictionary<InstallationStatus, long>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Status, long Count)>(new CommandDefinition(CountSql, cancellationToken: cancellationToken));
        return rows.ToDictionary(row => (InstallationStatus)row.Status, row => row.Count);
    }
}

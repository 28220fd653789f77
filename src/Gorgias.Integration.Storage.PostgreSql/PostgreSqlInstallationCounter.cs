using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>
/// Installations by status in one <c>GROUP BY</c> over <c>installations</c> (a scan, run at most once per the gauge's
/// freshness interval by each instance, and reading no token).
/// </summary>
internal sealed class PostgreSqlInstallationCounter(PostgreSqlDatabase database) : IInstallationCounter
{
    internal const string CountSql = "SELECT status AS Status, COUNT(*) AS Count FROM {schema}.installations GROUP BY status;";

    public async Task<IReadOnlyDictionary<InstallationStatus, long>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(short Status, long Count)>(
            new CommandDefinition(database.Sql(CountSql), cancellationToken: cancellationToken));
        return rows.ToDictionary(row => (InstallationStatus)row.Status, row => row.Count);
    }
}

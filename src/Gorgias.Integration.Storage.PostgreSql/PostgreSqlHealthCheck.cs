using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>Healthy when the database accepts a connection, is migrated and answers a query.</summary>
internal sealed class PostgreSqlHealthCheck(PostgreSqlDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1;", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached.", exception);
        }
    }
}

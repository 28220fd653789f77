using Microsoft.Extensions.Hosting;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>
/// Brings the schema up to date when the host starts, so an unreachable or unusable database stops start-up with a
/// clear error instead of failing the first request. Without a host, <see cref="PostgreSqlDatabase"/> migrates on first use.
/// </summary>
internal sealed class PostgreSqlMigrationHostedService(PostgreSqlDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.EnsureMigratedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

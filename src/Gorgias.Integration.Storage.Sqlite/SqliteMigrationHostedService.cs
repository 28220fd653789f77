using Microsoft.Extensions.Hosting;

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>
/// Brings the schema up to date when the host starts, so a broken database file stops start-up with a clear
/// error instead of failing the first request. Without a host, <see cref="SqliteDatabase"/> migrates on first use.
/// </summary>
internal sealed class SqliteMigrationHostedService(SqliteDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.EnsureMigratedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Tokens;
using Gorgias.Integration.Infrastructure.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>Registers the SQLite storage adapter: one database file for one host, or for processes sharing one disk.</summary>
public static class SqliteStorageRegistration
{
    internal const string ConnectionStringName = "Integration";

    internal const string DefaultConnectionString = "Data Source=gorgias-integration.db";

    /// <summary>
    /// Registers the SQLite store (<c>ConnectionStrings:Integration</c>), its refresh lease for processes sharing the
    /// file (<c>Gorgias:RefreshLeaseTimeout</c>; no change announcements: other processes see changes at their next
    /// re-validation, <c>Gorgias:TokenCacheRevalidation</c>), its start-up migration and Data Protection
    /// for secrets at rest. When the host registered Data Protection before this call, its application name and
    /// key storage are kept as they are (changing them would orphan the host's own protected data) and
    /// <c>DataProtection:KeysPath</c> is not applied; otherwise the application name is <c>Gorgias.Integration</c>
    /// and keys are persisted to <c>DataProtection:KeysPath</c> when it is set, encrypted with the PFX at
    /// <c>DataProtection:Certificate:Path</c> when that is set. Outside Development, a key ring with no persistent
    /// storage fails the host's start (see <c>DataProtectionRegistration</c>).
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration.</param>
    /// <returns>The same services, for chaining.</returns>
    public static IServiceCollection AddGorgiasSqliteStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = DefaultConnectionString;
        }

        services.AddIntegrationDataProtection(configuration);

        services.TryAddSingleton(_ => new SqliteDatabase(connectionString));
        services.TryAddSingleton<SecretProtector>();
        services.TryAddSingleton<IInstallationRepository, SqliteInstallationRepository>();
        services.TryAddSingleton<ITokenSetRepository, SqliteTokenSetRepository>();
        services.TryAddSingleton<IAccessQueries, SqliteAccessQueries>();
        services.TryAddSingleton<IInstallationCounter, SqliteInstallationCounter>();
        services.TryAddSingleton<SqliteInstallTransactions>();
        services.TryAddSingleton<IInstallRecorder>(sp => sp.GetRequiredService<SqliteInstallTransactions>());
        services.TryAddSingleton<IUninstallRecorder>(sp => sp.GetRequiredService<SqliteInstallTransactions>());
        services.TryAddSingleton<IAuthorizationRequestStore, SqliteAuthorizationRequestStore>();
        services.TryAddSingleton<IPendingRevocationStore, SqlitePendingRevocationStore>();
        services.TryAddSingleton<IStorageSchema, SqliteStorageSchema>();
        services.TryAddSingleton<IEventInbox, SqliteEventInbox>();
        services.TryAddSingleton<IEventSubscriptionStore, SqliteEventSubscriptionStore>();
        services.TryAddSingleton(TimeProvider.System);
        services.ReplaceInProcessDefault<IRefreshLease, SqliteRefreshLease>(typeof(InProcessRefreshLease));
        services.AddHostedService<SqliteMigrationHostedService>();
        services.AddHealthChecks().AddCheck<SqliteHealthCheck>("database");
        return services;
    }
}

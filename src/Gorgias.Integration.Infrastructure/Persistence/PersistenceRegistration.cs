using Gorgias.Integration.Application.Abstractions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gorgias.Integration.Infrastructure.Persistence;

internal static class PersistenceRegistration
{
    public const string ConnectionStringName = "Integration";

    public const string DefaultConnectionString = "Data Source=gorgias-integration.db";

    public const string KeysPathKey = "DataProtection:KeysPath";

    public const string DataProtectionApplicationName = "Gorgias.Integration";

    /// <summary>
    /// Registers the SQLite store (<c>ConnectionStrings:Integration</c>), its start-up migration and Data Protection
    /// for secrets at rest. When the host registered Data Protection before this call, its application name and
    /// key storage are kept as they are (changing them would orphan the host's own protected data) and
    /// <c>DataProtection:KeysPath</c> is not applied; otherwise the application name is <c>Gorgias.Integration</c>
    /// and keys are persisted to <c>DataProtection:KeysPath</c> when it is set.
    /// </summary>
    public static IServiceCollection AddSqlitePersistence(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = DefaultConnectionString;
        }

        var hostConfiguredDataProtection = services.Any(d => d.ServiceType == typeof(IDataProtectionProvider));
        var dataProtection = services.AddDataProtection();
        if (!hostConfiguredDataProtection)
        {
            dataProtection.SetApplicationName(DataProtectionApplicationName);
            dataProtection.UseCryptographicAlgorithms(new AuthenticatedEncryptorConfiguration
            {
                EncryptionAlgorithm = EncryptionAlgorithm.AES_256_GCM,
                ValidationAlgorithm = ValidationAlgorithm.HMACSHA256,
            });
            var keysPath = configuration[KeysPathKey];
            if (!string.IsNullOrWhiteSpace(keysPath))
            {
                dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keysPath));
            }
        }

        services.TryAddSingleton(_ => new SqliteDatabase(connectionString));
        services.TryAddSingleton<SecretProtector>();
        services.TryAddSingleton<IInstallationRepository, SqliteInstallationRepository>();
        services.TryAddSingleton<ITokenSetRepository, SqliteTokenSetRepository>();
        services.TryAddSingleton<IAuthorizationRequestStore, SqliteAuthorizationRequestStore>();
        services.TryAddSingleton<IPendingRevocationStore, SqlitePendingRevocationStore>();
        services.AddHostedService<SqliteMigrationHostedService>();
        services.AddHealthChecks().AddCheck<SqliteHealthCheck>("database");
        return services;
    }
}

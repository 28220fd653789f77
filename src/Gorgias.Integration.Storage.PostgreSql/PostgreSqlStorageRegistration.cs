using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Infrastructure.Secrets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>Registers the PostgreSQL storage adapter: many instances of the app sharing one database.</summary>
public static class PostgreSqlStorageRegistration
{
    internal const string ConnectionStringName = "Integration";

    internal const string ConnectionStringKey = "ConnectionStrings:" + ConnectionStringName;

    internal const string SchemaKey = "Integration:Schema";

    private const string Example = "\"Host=db.internal;Port=5432;Database=gorgias;Username=gorgias;Password=…\"";

    /// <summary>
    /// Registers the PostgreSQL store on one pooled <see cref="NpgsqlDataSource"/> for <c>ConnectionStrings:Integration</c>
    /// (required), its tables in the schema <c>Integration:Schema</c> (default <c>gorgias</c>), the migrations at host
    /// start-up (safe when several instances start at once), the <c>database</c> health check, and Data Protection for
    /// secrets at rest. The Data Protection key ring is kept in the same database, so every instance decrypts what
    /// another encrypted, unless <c>DataProtection:KeysPath</c> is set (keys in that folder) or the host registered
    /// Data Protection before this call (its key storage is kept as it is).
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration.</param>
    /// <returns>The same services, for chaining.</returns>
    /// <exception cref="InvalidOperationException">The connection string is missing or not a PostgreSQL one, or the schema is not a plain name.</exception>
    public static IServiceCollection AddGorgiasPostgreSqlStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = ReadConnectionString(configuration);
        var schema = configuration[SchemaKey] is { Length: > 0 } configured ? configured : PostgreSqlDatabase.DefaultSchema;
        if (!PostgreSqlDatabase.IsSchemaName(schema))
        {
            throw new InvalidOperationException(
                $"{SchemaKey} is '{schema}', which is not a usable schema name: use 1–63 lower-case letters, digits and underscores, " +
                $"starting with a letter or underscore, e.g. \"{PostgreSqlDatabase.DefaultSchema}\" (the default).");
        }

        // Decided before Data Protection is added below, which would make every host look as if it had configured it.
        var keyRingInDatabase = !services.Any(d => d.ServiceType == typeof(IDataProtectionProvider))
            && string.IsNullOrWhiteSpace(configuration[DataProtectionRegistration.KeysPathKey]);

        // First, so the schema (the key ring's table included) exists before any other start-up work reads it.
        services.AddHostedService<PostgreSqlMigrationHostedService>();
        services.AddIntegrationDataProtection(configuration);
        if (keyRingInDatabase)
        {
            // A repository is persistent storage: the "no key ring outside Development" start-up check passes.
            services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(
                options => options.XmlRepository = new PostgreSqlXmlRepository(sp.GetRequiredService<PostgreSqlDatabase>())));
        }

        services.TryAddSingleton(_ => new PostgreSqlDatabase(NpgsqlDataSource.Create(connectionString), schema));
        services.TryAddSingleton<SecretProtector>();
        services.TryAddSingleton<IInstallationRepository, PostgreSqlInstallationRepository>();
        services.TryAddSingleton<ITokenSetRepository, PostgreSqlTokenSetRepository>();
        services.TryAddSingleton<IAccessQueries, PostgreSqlAccessQueries>();
        services.TryAddSingleton<IInstallationCounter, PostgreSqlInstallationCounter>();
        services.TryAddSingleton<PostgreSqlInstallTransactions>();
        services.TryAddSingleton<IInstallRecorder>(sp => sp.GetRequiredService<PostgreSqlInstallTransactions>());
        services.TryAddSingleton<IUninstallRecorder>(sp => sp.GetRequiredService<PostgreSqlInstallTransactions>());
        services.TryAddSingleton<IAuthorizationRequestStore, PostgreSqlAuthorizationRequestStore>();
        services.TryAddSingleton<IPendingRevocationStore, PostgreSqlPendingRevocationStore>();
        services.TryAddSingleton<IStorageSchema, PostgreSqlStorageSchema>();
        services.TryAddSingleton<IEventInbox, PostgreSqlEventInbox>();
        services.TryAddSingleton<IEventSubscriptionStore, PostgreSqlEventSubscriptionStore>();
        services.AddPostgreSqlCoordination();
        services.AddHealthChecks().AddCheck<PostgreSqlHealthCheck>("database");
        return services;
    }

    /// <summary>The configured connection string, or the error naming the key, the problem and an example.</summary>
    internal static string ReadConnectionString(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"{ConnectionStringKey} is missing: PostgreSQL storage needs the server's connection string, e.g. {Example}.");
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            // The message names the offending keyword, never the password.
            throw new InvalidOperationException(
                $"{ConnectionStringKey} is not a PostgreSQL connection string ({ex.Message}), e.g. {Example}.", ex);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new InvalidOperationException($"{ConnectionStringKey} names no Host: it is not a PostgreSQL connection string, e.g. {Example}.");
        }

        return connectionString;
    }
}

using System.Reflection;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Sandbox;
using Gorgias.Integration.Web;

namespace Gorgias.Integration.Architecture.Tests;

/// <summary>The assemblies under test, each found through a type it must contain.</summary>
internal static class Layers
{
    public const string DomainNamespace = "Gorgias.Integration.Domain";
    public const string ApplicationNamespace = "Gorgias.Integration.Application";
    public const string PortsNamespace = "Gorgias.Integration.Application.Abstractions";
    public const string InfrastructureNamespace = "Gorgias.Integration.Infrastructure";
    public const string WebNamespace = "Gorgias.Integration.Web";
    public const string HostNamespace = "Gorgias.Integration.Host";
    public const string CliNamespace = "Gorgias.Integration.Cli";
    public const string SandboxNamespace = "Gorgias.Integration.Sandbox";
    public const string StorageNamespace = "Gorgias.Integration.Storage";
    public const string SqliteStorageNamespace = "Gorgias.Integration.Storage.Sqlite";
    public const string PostgreSqlStorageNamespace = "Gorgias.Integration.Storage.PostgreSql";

    /// <summary>The parts of the Infrastructure a storage adapter may not use: only its secrets-at-rest helpers are shared.</summary>
    public static readonly string[] InfrastructureBesidesSecrets =
    [
        "Gorgias.Integration.Infrastructure.Gorgias",
        "Gorgias.Integration.Infrastructure.Background",
        "Gorgias.Integration.Infrastructure.DependencyInjection",
    ];

    public static Assembly Domain => typeof(Installation).Assembly;

    public static Assembly Application => typeof(IInstallationRepository).Assembly;

    public static Assembly Infrastructure => typeof(Infrastructure.DependencyInjection).Assembly;

    public static Assembly Web => typeof(GorgiasEndpoints).Assembly;

    public static Assembly Sandbox => typeof(SandboxEndpoints).Assembly;

    public static Assembly StorageSqlite => typeof(Storage.Sqlite.SqliteStorageRegistration).Assembly;

    /// <summary>Loaded by name: the adapter's types are internal, and the project reference puts it beside the tests.</summary>
    public static Assembly StoragePostgreSql => Assembly.Load("Gorgias.Integration.Storage.PostgreSql");

    /// <summary>The command-line host, a composition root like the Host; loaded by name, its types are internal.</summary>
    public static Assembly Cli => Assembly.Load("Gorgias.Integration.Cli");
}

using System.Reflection;
using NetArchTest.Rules;

namespace Gorgias.Integration.Architecture.Tests;

/// <summary>Dependencies point inward only (docs/ARCHITECTURE.md). NetArchTest matches namespaces by prefix.</summary>
public sealed class LayerDependencyTests
{
    [Fact]
    public void Domain_DependsOnNoOtherLayerNorAnyLibrary()
    {
        AssertHasNoDependencyOnAny(Layers.Domain,
            Layers.ApplicationNamespace,
            Layers.InfrastructureNamespace,
            Layers.StorageNamespace,
            Layers.WebNamespace,
            Layers.HostNamespace,
            Layers.CliNamespace,
            Layers.SandboxNamespace,
            "Mediator",
            "FluentValidation",
            "Dapper",
            "Refit",
            "Microsoft.Data.Sqlite",
            "Npgsql",
            "Microsoft.AspNetCore",
            "Microsoft.Extensions",
            "System.Net.Http");
    }

    [Fact]
    public void Domain_ReferencesOnlyTheSharedFramework()
    {
        // The type rule above knows only the namespaces it lists; this catches any library the Domain's code uses,
        // whatever its namespace (e.g. Newtonsoft.Json), since the compiler records every assembly a type came from.
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = Layers.Domain.GetReferencedAssemblies();
        Assert.NotEmpty(references);

        var foreign = references
            .Where(reference => !IsFrameworkName(reference.Name)
                || !File.Exists(Path.Combine(frameworkDirectory, reference.Name + ".dll")))
            .Select(reference => reference.FullName)
            .ToList();

        Assert.True(foreign.Count == 0, "The Domain references non-framework assemblies: " + string.Join(", ", foreign));
    }

    [Fact]
    public void Application_DependsOnNoOuterLayerNorAdapterTechnology()
    {
        AssertHasNoDependencyOnAny(Layers.Application,
            Layers.InfrastructureNamespace,
            Layers.StorageNamespace,
            Layers.WebNamespace,
            Layers.HostNamespace,
            Layers.CliNamespace,
            Layers.SandboxNamespace,
            "Dapper",
            "Refit",
            "Microsoft.Data.Sqlite",
            "Npgsql",
            "Microsoft.AspNetCore");
    }

    [Fact]
    public void Infrastructure_DependsOnNoDrivingAdapterNorTheHost()
    {
        AssertHasNoDependencyOnAny(Layers.Infrastructure,
            Layers.StorageNamespace,
            Layers.WebNamespace,
            Layers.HostNamespace,
            Layers.CliNamespace,
            Layers.SandboxNamespace);
    }

    [Fact]
    public void Web_DependsOnNoDrivenAdapterNorItsTechnology()
    {
        AssertHasNoDependencyOnAny(Layers.Web,
            Layers.CliNamespace,
            Layers.InfrastructureNamespace,
            Layers.StorageNamespace,
            Layers.SandboxNamespace,
            "Dapper",
            "Refit",
            "Microsoft.Data.Sqlite",
            "Npgsql");
    }

    [Fact]
    public void PostgreSqlStorage_DependsOnNoOtherAdapterNorTheHost()
    {
        AssertHasNoDependencyOnAny(Layers.StoragePostgreSql,
        [
            .. Layers.InfrastructureBesidesSecrets,
            Layers.SqliteStorageNamespace,
            Layers.WebNamespace,
            Layers.HostNamespace,
            Layers.CliNamespace,
            Layers.SandboxNamespace,
            "Refit",
            "Microsoft.Data.Sqlite",
        ]);
    }

    [Fact]
    public void SqliteStorage_DependsOnNoOtherAdapterNorTheHost()
    {
        AssertHasNoDependencyOnAny(Layers.StorageSqlite,
        [
            .. Layers.InfrastructureBesidesSecrets,
            Layers.PostgreSqlStorageNamespace,
            Layers.WebNamespace,
            Layers.HostNamespace,
            Layers.CliNamespace,
            Layers.SandboxNamespace,
            "Refit",
            "Npgsql",
        ]);
    }

    [Fact]
    public void Sandbox_DependsOnNoOtherGorgiasIntegrationProject()
    {
        // Listed one by one: "Gorgias.Integration" would also match the Sandbox's own namespace.
        AssertHasNoDependencyOnAny(Layers.Sandbox,
            Layers.DomainNamespace,
            Layers.ApplicationNamespace,
            Layers.InfrastructureNamespace,
            Layers.StorageNamespace,
            Layers.WebNamespace,
            Layers.HostNamespace,
            Layers.CliNamespace);
    }

    [Fact]
    public void Cli_ComposesThroughHosting_AndSendsUseCasesWithoutHttp()
    {
        // A composition root like the Host: the storage is chosen by Hosting's one registration, not by the tool, and the
        // use cases are sent through the mediator, not through the Web adapter's routes or an HTTP pipeline of its own.
        AssertHasNoDependencyOnAny(Layers.Cli,
            Layers.SqliteStorageNamespace,
            Layers.PostgreSqlStorageNamespace,
            Layers.HostNamespace,
            Layers.SandboxNamespace,
            "Gorgias.Integration.Web.Endpoints",
            "Gorgias.Integration.Web.Http",
            "Microsoft.AspNetCore.Http",
            "Microsoft.AspNetCore.Routing",
            "Microsoft.AspNetCore.Builder",
            "Dapper",
            "Microsoft.Data.Sqlite",
            "Npgsql");
    }

    private static bool IsFrameworkName(string? name) =>
        name is not null
        && (name.StartsWith("System.", StringComparison.Ordinal)
            || name is "System" or "netstandard" or "mscorlib"
            || name.StartsWith("Microsoft.Win32.", StringComparison.Ordinal));

    private static void AssertHasNoDependencyOnAny(Assembly assembly, params string[] forbidden)
    {
        ArchAssert.SelectsTypes(Types.InAssembly(assembly).GetTypes(), $"types in {assembly.GetName().Name}");

        var result = Types.InAssembly(assembly)
            .ShouldNot()
            .HaveDependencyOnAny(forbidden)
            .GetResult();

        ArchAssert.Holds(result);
    }
}

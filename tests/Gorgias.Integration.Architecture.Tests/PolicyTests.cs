using System.Reflection;
using System.Runtime.CompilerServices;
using Gorgias.Integration.Domain.Common;
using Microsoft.Extensions.Logging;
using NetArchTest.Rules;

namespace Gorgias.Integration.Architecture.Tests;

/// <summary>One policy in one place, use cases that stand alone, and a domain model only the domain can change.</summary>
public sealed class PolicyTests
{
    private const string FeaturesNamespace = Layers.ApplicationNamespace + ".Installations";

    // Part of the pending-revocation behaviour that moves into the Domain (PendingRevocation); then this goes.
    private const string RevocationBackoffType = FeaturesNamespace + ".RetryRevocations.RevocationBackoff";

    // The one orchestrating use case: a maintenance cycle is, by definition, "refresh, retry revocations, purge", and
    // sending those use cases' own commands keeps each rule in its folder instead of copying it into the cycle.
    private const string OrchestratorNamespace = FeaturesNamespace + ".RunMaintenance";

    [Fact]
    public void UseCaseFolders_DoNotDependOnEachOther()
    {
        var features = Layers.Application.GetTypes()
            .Select(t => t.Namespace)
            .Where(n => n is not null && n.StartsWith(FeaturesNamespace + ".", StringComparison.Ordinal) && !n.EndsWith(".Common", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.True(features.Count >= 8, $"Found only {features.Count} use-case folders under {FeaturesNamespace}.");

        var offending = new List<string>();
        Assert.Contains(OrchestratorNamespace, features);
        foreach (var feature in features.Where(f => f != OrchestratorNamespace))
        {
            var others = Layers.Application.GetTypes()
                .Where(t => t.Namespace != feature && features.Contains(t.Namespace!) && t.FullName != RevocationBackoffType)
                .Select(t => t.FullName!)
                .ToArray();
            var result = Types.InAssembly(Layers.Application).That().ResideInNamespace(feature)
                .ShouldNot().HaveDependencyOnAny(others).GetResult();
            offending.AddRange((result.FailingTypeNames ?? []).Select(t => $"{t} (of {feature})"));
        }

        Assert.True(offending.Count == 0, "Use cases reach into other use-case folders (move the shared rule to Common): " + string.Join(", ", offending));
    }

    [Fact]
    public void DomainEvents_AreImmutableRecords()
    {
        var events = Layers.Domain.GetTypes().Where(t => typeof(IDomainEvent).IsAssignableFrom(t) && !t.IsInterface).ToList();
        Assert.True(events.Count >= 5, $"Found only {events.Count} domain events.");

        var mutable = events
            .SelectMany(e => e.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .Where(p => p.SetMethod is { } setter && !IsInitOnly(setter))
                .Select(p => $"{e.Name}.{p.Name} has a setter")
                .Concat(e.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                    .Where(f => !f.IsInitOnly).Select(f => $"{e.Name}.{f.Name} is not readonly")))
            .Concat(events.Where(e => e.GetMethod("<Clone>$") is null).Select(e => $"{e.Name} is not a record"))
            .ToList();
        Assert.True(mutable.Count == 0, "Domain events must be immutable records: " + string.Join(", ", mutable));
    }

    [Fact]
    public void RestoreFactoriesAndAggregateConstructors_AreNotPublic()
    {
        var aggregates = Layers.Domain.GetTypes()
            .Where(t => t.IsClass && (typeof(IHasDomainEvents).IsAssignableFrom(t) || t.GetMethod("Restore", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic) is not null))
            .ToList();
        Assert.True(aggregates.Count >= 3, $"Found only {aggregates.Count} aggregates.");

        var exposed = aggregates
            .SelectMany(a => a.GetConstructors().Select(c => $"{a.Name}'s constructor")
                .Concat(a.GetMethods(BindingFlags.Static | BindingFlags.Public).Where(m => m.Name == "Restore").Select(_ => $"{a.Name}.Restore")))
            .ToList();
        Assert.True(exposed.Count == 0, "Only the domain creates aggregates, and only storage restores them: " + string.Join(", ", exposed));
    }

    [Fact]
    public void EveryLoggerMessage_HasAnEventId_UniqueInItsAssembly()
    {
        var problems = new List<string>();
        var found = 0;
        foreach (var assembly in LoggingAssemblies())
        {
            var messages = assembly.GetTypes()
                .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
                .Where(m => m.Attribute is not null)
                .ToList();
            found += messages.Count;
            problems.AddRange(messages
                .Where(m => m.Attribute!.EventId <= 0)
                .Select(m => $"{m.Method.DeclaringType!.Name}.{m.Method.Name} has no EventId"));
            problems.AddRange(messages
                .Where(m => m.Attribute!.EventId > 0)
                .GroupBy(m => m.Attribute!.EventId)
                .Where(g => g.Count() > 1)
                .Select(g => $"EventId {g.Key} is used by {string.Join(" and ", g.Select(m => m.Method.DeclaringType!.Name + "." + m.Method.Name))} in {assembly.GetName().Name}"));
        }

        Assert.True(found > 30, $"Found only {found} [LoggerMessage] methods; the scan no longer sees them.");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void SecretsAreComparedInConstantTime_ThroughTheOneHelper()
    {
        var root = RepositoryRoot();
        var helper = Path.Combine(root, "src", "Gorgias.Integration.Application", "Common", "Security", "ConstantTime.cs");
        Assert.Contains("CryptographicOperations.FixedTimeEquals", File.ReadAllText(helper), StringComparison.Ordinal);

        // The Sandbox references no other project by design, so it keeps its own comparisons.
        var elsewhere = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => f != helper && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains("Gorgias.Integration.Sandbox", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("CryptographicOperations.FixedTimeEquals", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root, f))
            .ToList();
        Assert.True(elsewhere.Count == 0, "Compare secrets with ConstantTime, not by hand: " + string.Join(", ", elsewhere));
    }

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));

    private static IEnumerable<Assembly> LoggingAssemblies() =>
    [
        Layers.Application, Layers.Infrastructure, Layers.Web, Layers.StorageSqlite, Layers.StoragePostgreSql,
        Assembly.Load("Gorgias.Integration.Hosting"), Assembly.Load("Gorgias.Integration.Host"),
    ];

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Gorgias.Integration.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Gorgias.Integration.sln not found above " + AppContext.BaseDirectory);
    }
}

using FluentValidation;
using Mediator;
using Mono.Cecil;
using NetArchTest.Rules;

namespace Gorgias.Integration.Architecture.Tests;

/// <summary>Naming and visibility conventions from docs/ARCHITECTURE.md, one rule per test.</summary>
public sealed class ConventionTests
{
    private static readonly Type[] HandlerInterfaces =
    [
        typeof(ICommandHandler<,>),
        typeof(ICommandHandler<>),
        typeof(IQueryHandler<,>),
        typeof(IRequestHandler<,>),
        typeof(IRequestHandler<>),
        typeof(INotificationHandler<>),
        typeof(IStreamCommandHandler<,>),
        typeof(IStreamQueryHandler<,>),
        typeof(IStreamRequestHandler<,>),
    ];

    [Fact]
    public void ApplicationHandlers_AreSealed()
    {
        var handlers = Handlers();

        ArchAssert.SelectsTypes(handlers.GetTypes(), "Mediator handlers in the Application");
        ArchAssert.Holds(handlers.Should().BeSealed().GetResult());
    }

    [Fact]
    public void ApplicationHandlers_AreNamedHandler()
    {
        var handlers = Handlers();

        ArchAssert.SelectsTypes(handlers.GetTypes(), "Mediator handlers in the Application");
        ArchAssert.Holds(handlers.Should().HaveNameEndingWith("Handler", StringComparison.Ordinal).GetResult());
    }

    [Fact]
    public void ApplicationValidators_AreNamedValidator()
    {
        var validators = Validators();

        ArchAssert.SelectsTypes(validators.GetTypes(), "FluentValidation validators in the Application");
        ArchAssert.Holds(validators.Should().HaveNameEndingWith("Validator", StringComparison.Ordinal).GetResult());
    }

    [Fact]
    public void ApplicationValidators_AreSealed()
    {
        var validators = Validators();

        ArchAssert.SelectsTypes(validators.GetTypes(), "FluentValidation validators in the Application");
        ArchAssert.Holds(validators.Should().BeSealed().GetResult());
    }

    [Fact]
    public void InfrastructureAdapters_AreNotPublic()
    {
        var adapters = Types.InAssembly(Layers.Infrastructure)
            .That().AreClasses().And().MeetCustomRule(new ImplementsAPort());

        ArchAssert.SelectsTypes(adapters.GetTypes(), $"classes in the Infrastructure implementing a port from {Layers.PortsNamespace}");
        ArchAssert.Holds(adapters.Should().NotBePublic().GetResult());
    }

    [Fact]
    public void SqliteStorageAdapters_AreNotPublic()
    {
        var adapters = Types.InAssembly(Layers.StorageSqlite)
            .That().AreClasses().And().MeetCustomRule(new ImplementsAPort());

        ArchAssert.SelectsTypes(adapters.GetTypes(), $"classes in the SQLite storage implementing a port from {Layers.PortsNamespace}");
        ArchAssert.Holds(adapters.Should().NotBePublic().GetResult());
    }

    /// <summary>
    /// Classes of the Application's own namespaces that implement a Mediator handler interface directly (the code
    /// Mediator's source generator adds to the assembly lives in its own namespace and is not ours to name).
    /// </summary>
    private static PredicateList Handlers()
    {
        PredicateList? handlers = null;
        foreach (var handlerInterface in HandlerInterfaces)
        {
            var predicates = handlers is null ? Types.InAssembly(Layers.Application).That() : handlers.Or();
            handlers = predicates.ResideInNamespaceStartingWith(Layers.ApplicationNamespace)
                .And().AreClasses()
                .And().ImplementInterface(handlerInterface);
        }

        return handlers!;
    }

    private static PredicateList Validators() =>
        Types.InAssembly(Layers.Application).That().AreClasses().And().Inherit(typeof(AbstractValidator<>));

    /// <summary>A class that implements an interface declared in the Application's ports namespace.</summary>
    private sealed class ImplementsAPort : ICustomRule
    {
        public bool MeetsRule(TypeDefinition type) =>
            type.Interfaces.Any(implemented =>
                string.Equals(implemented.InterfaceType.GetElementType().Namespace, Layers.PortsNamespace, StringComparison.Ordinal));
    }
}

using FluentValidation;
using Mediator;
using Mono.Cecil;
using NetArchTest.Rules;

namespace Gorgias.Integration.Architecture.Tests;

/// <summary>Naming and visibility conventions from STYLE.md and ARCHITECTURE.md.</summary>
public sealed class ConventionTests
{
    /// <summary>
    /// This branch has no handler, validator or adapter yet, and these rules fail on an empty selection on purpose.
    /// Delete this skip once the first handlers (BeginInstall, CompleteAuthorization) and adapters are merged.
    /// </summary>
    private const string PendingFirstImplementations =
        "Nothing to check yet: no handler, validator or adapter exists in this branch. Remove this Skip once they land.";

    [Fact(Skip = PendingFirstImplementations)]
    public void ApplicationHandlers_AreSealedAndNamedHandler()
    {
        var handlers = Types.InAssembly(Layers.Application)
            .That().ResideInNamespaceStartingWith(Layers.ApplicationNamespace).And().AreClasses().And().ImplementInterface(typeof(ICommandHandler<,>))
            .Or().ResideInNamespaceStartingWith(Layers.ApplicationNamespace).And().AreClasses().And().ImplementInterface(typeof(ICommandHandler<>))
            .Or().ResideInNamespaceStartingWith(Layers.ApplicationNamespace).And().AreClasses().And().ImplementInterface(typeof(IQueryHandler<,>))
            .Or().ResideInNamespaceStartingWith(Layers.ApplicationNamespace).And().AreClasses().And().ImplementInterface(typeof(IRequestHandler<,>))
            .Or().ResideInNamespaceStartingWith(Layers.ApplicationNamespace).And().AreClasses().And().ImplementInterface(typeof(IRequestHandler<>))
            .Or().ResideInNamespaceStartingWith(Layers.ApplicationNamespace).And().AreClasses().And().ImplementInterface(typeof(INotificationHandler<>));

        ArchAssert.SelectsTypes(handlers.GetTypes(), "Mediator handlers in the Application");
        ArchAssert.Holds(handlers.Should().BeSealed().And().HaveNameEndingWith("Handler", StringComparison.Ordinal).GetResult());
    }

    [Fact(Skip = PendingFirstImplementations)]
    public void ApplicationValidators_AreSealedAndNamedValidator()
    {
        var validators = Types.InAssembly(Layers.Application)
            .That().AreClasses().And().Inherit(typeof(AbstractValidator<>));

        ArchAssert.SelectsTypes(validators.GetTypes(), "FluentValidation validators in the Application");
        ArchAssert.Holds(validators.Should().BeSealed().And().HaveNameEndingWith("Validator", StringComparison.Ordinal).GetResult());
    }

    [Fact(Skip = PendingFirstImplementations)]
    public void InfrastructureAdapters_AreNotPublic()
    {
        var adapters = Types.InAssembly(Layers.Infrastructure)
            .That().AreClasses().And().MeetCustomRule(new ImplementsAPort());

        ArchAssert.SelectsTypes(adapters.GetTypes(), $"classes in the Infrastructure implementing a port from {Layers.PortsNamespace}");
        ArchAssert.Holds(adapters.Should().NotBePublic().GetResult());
    }

    /// <summary>A class that implements an interface declared in the Application's ports namespace.</summary>
    private sealed class ImplementsAPort : ICustomRule
    {
        public bool MeetsRule(TypeDefinition type) =>
            type.Interfaces.Any(implemented =>
                string.Equals(implemented.InterfaceType.GetElementType().Namespace, Layers.PortsNamespace, StringComparison.Ordinal));
    }
}

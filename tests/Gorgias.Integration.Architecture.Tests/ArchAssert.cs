using NetArchTest.Rules;

namespace Gorgias.Integration.Architecture.Tests;

internal static class ArchAssert
{
    /// <summary>Fails unless the rule selected something, so a rule cannot pass by matching nothing.</summary>
    public static void SelectsTypes(IEnumerable<Type> selection, string what)
    {
        Assert.True(selection.Any(), $"The rule selected no {what}; it would pass by matching nothing.");
    }

    /// <summary>Fails with the offending types' full names.</summary>
    public static void Holds(TestResult result)
    {
        Assert.True(result.IsSuccessful,
            "Offending types: " + string.Join(", ", result.FailingTypeNames ?? []));
    }
}

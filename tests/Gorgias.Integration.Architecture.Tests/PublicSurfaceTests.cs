using System.Reflection;
using Mediator;

namespace Gorgias.Integration.Architecture.Tests;

/// <summary>What the Application hands a host is already parsed, so the host never parses an account twice.</summary>
public sealed class PublicSurfaceTests
{
    // Commands and queries are the one parse point: they take the raw string and validate it into a Result error.
    private static readonly Type[] InputMarkers = [typeof(IBaseCommand), typeof(IBaseQuery), typeof(IBaseRequest)];

    [Fact]
    public void PublicSurface_UsesAccountNameForEveryAccountItHandsOut()
    {
        var publicTypes = Layers.Application.GetExportedTypes();
        Assert.Contains(publicTypes, t => t.GetProperty("Account") is not null && !IsInput(t));

        var offending = publicTypes
            .Where(t => !IsInput(t))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                .Where(p => p.Name == "Account" && p.PropertyType == typeof(string))
                .Select(p => $"{t.FullName}.{p.Name}"))
            .ToList();

        Assert.True(offending.Count == 0,
            "These outputs hand a host the account as a string; make them AccountName so it goes straight to the token provider: "
            + string.Join(", ", offending));
    }

    private static bool IsInput(Type type) => InputMarkers.Any(marker => marker.IsAssignableFrom(type));
}

using Gorgias.Integration.Infrastructure.Gorgias.Api;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.DependencyInjection;
using Refit;
using static Gorgias.Integration.Application.Tests.Api.ScriptedApiHarness;

namespace Gorgias.Integration.Application.Tests.Api;

/// <summary>A host's own Refit interface, registered with <c>AddGorgiasApiClient&lt;TApi&gt;()</c>, rides the same pipeline.</summary>
public sealed class HostRefitInterfaceTests
{
    [Fact]
    public async Task AHostsOwnRefitInterface_IsAuthenticatedRefreshedOnceOn401AndFailsTyped()
    {
        await using var harness = await StartAsync(configureServices: static s => s.AddGorgiasApiClient<IHostWidgetsApi>());
        harness.Gorgias.On("GET", "/api/widgets",
            ScriptedAnswer.Json(401, """{"error":"Unauthorized"}"""),
            ScriptedAnswer.Json(200, """[{"id":3}]"""),
            ScriptedAnswer.Json(404, """{"error":"No such widget"}"""));
        var api = harness.Services.GetRequiredService<IGorgiasApiFactory<IHostWidgetsApi>>().For(Acme);

        var widgets = await api.ListWidgetsAsync(CancellationToken.None);
        var missing = await Assert.ThrowsAsync<GorgiasApiException>(() => api.ListWidgetsAsync(CancellationToken.None));

        Assert.Equal(3, Assert.Single(widgets).Id);
        Assert.Equal(GorgiasApiErrorKind.NotFound, missing.Kind);
        Assert.Equal("No such widget", missing.GorgiasError);
        Assert.Equal(["Bearer access-acme", "Bearer fresh-acme-1", "Bearer fresh-acme-1"],
            harness.Gorgias.Requests.Where(r => r.Path == "/api/widgets").Select(r => r.Authorization));
        Assert.Equal(1, harness.Gorgias.CountOf("POST", "/oauth/token"));
    }
}

/// <summary>A host-defined interface for a resource this library does not type.</summary>
public interface IHostWidgetsApi
{
    [Get("/api/widgets")]
    Task<List<HostWidget>> ListWidgetsAsync(CancellationToken cancellationToken);
}

/// <summary>A host's own model.</summary>
public sealed class HostWidget
{
    [System.Text.Json.Serialization.JsonPropertyName("id")]
    public long Id { get; set; }
}

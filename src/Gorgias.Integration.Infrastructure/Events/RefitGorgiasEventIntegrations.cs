using System.Text.Json;
using System.Text.Json.Nodes;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Gorgias.Api;

namespace Gorgias.Integration.Infrastructure.Events;

/// <summary>
/// <see cref="IGorgiasEventIntegrations"/> on the typed Refit client (<see cref="IGorgiasIntegrationsApi"/>), so every
/// call has the account's token, its scope check and its rate limit. The trigger is sent under both spellings Gorgias
/// uses (<c>ticket-created</c> in its guide, <c>ticket_created</c> in its API reference's example); Gorgias ignores
/// what it does not know.
/// </summary>
internal sealed class RefitGorgiasEventIntegrations(IGorgiasApiFactory apis) : IGorgiasEventIntegrations
{
    private static readonly JsonElement Null = Parse("null");

    public async Task<HttpIntegrationState?> FindAsync(AccountName account, long id, CancellationToken cancellationToken)
    {
        try
        {
            return State(await apis.For(account).GetIntegrationAsync(id, cancellationToken));
        }
        catch (GorgiasApiException exception) when (exception.Kind == GorgiasApiErrorKind.NotFound)
        {
            return null;
        }
    }

    public async Task<HttpIntegrationState?> FindByNameAsync(AccountName account, string name, CancellationToken cancellationToken)
    {
        await foreach (var integration in apis.For(account).EnumerateIntegrationsAsync(cancellationToken: cancellationToken))
        {
            if (integration.Type == "http" && integration.Name == name)
            {
                return State(integration);
            }
        }

        return null;
    }

    public async Task<long> CreateAsync(AccountName account, HttpIntegrationSpec spec, CancellationToken cancellationToken)
    {
        var created = await apis.For(account).CreateIntegrationAsync(Body(spec), cancellationToken);
        return created.Id ?? throw new InvalidOperationException("Gorgias created the integration but returned no id.");
    }

    public async Task UpdateAsync(AccountName account, long id, HttpIntegrationSpec spec, CancellationToken cancellationToken)
    {
        var body = Body(spec);

        // Null members are not sent by default; this one must be, to clear a deactivation.
        body.Extra = new Dictionary<string, JsonElement>(StringComparer.Ordinal) { ["deactivated_datetime"] = Null };
        await apis.For(account).UpdateIntegrationAsync(id, body, cancellationToken);
    }

    public async Task DeleteAsync(AccountName account, long id, CancellationToken cancellationToken)
    {
        try
        {
            await apis.For(account).DeleteIntegrationAsync(id, cancellationToken);
        }
        catch (GorgiasApiException exception) when (exception.Kind == GorgiasApiErrorKind.NotFound)
        {
            // Already gone (deleted in Gorgias): what this call was for.
        }
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static HttpIntegrationState State(GorgiasIntegration integration) =>
        new(integration.Id ?? 0, integration.Name ?? "", integration.DeactivatedDatetime is not null);

    private static GorgiasIntegration Body(HttpIntegrationSpec spec)
    {
        var headers = new JsonObject();
        foreach (var (name, value) in spec.Headers)
        {
            headers[name] = value;
        }

        var form = new JsonObject();
        foreach (var (name, value) in spec.Form)
        {
            form[name] = value;
        }

        var http = new JsonObject
        {
            ["url"] = spec.Url.AbsoluteUri,
            ["method"] = "POST",
            ["headers"] = headers,
            ["form"] = form,
            ["request_content_type"] = "application/json",
            ["response_content_type"] = "application/json",
            ["triggers"] = new JsonObject { [spec.Trigger] = true, [spec.Trigger.Replace('-', '_')] = true },
        };
        return new GorgiasIntegration
        {
            Type = "http",
            Name = spec.Name,
            Http = Parse(http.ToJsonString()),
        };
    }
}

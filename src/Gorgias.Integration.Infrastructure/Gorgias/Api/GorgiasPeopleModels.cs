using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>A customer (<c>/api/customers</c>); read and written, unknown members kept in <see cref="Extra"/>.</summary>
public sealed class GorgiasCustomer
{
    /// <summary>The customer's id (null on create).</summary>
    [JsonPropertyName("id")]
    public long? Id { get; set; }

    /// <summary>The customer's main email (Gorgias answers 409 when another customer has it).</summary>
    [JsonPropertyName("email")]
    public string? Email { get; set; }

    /// <summary>The customer's name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>An id of the customer in another system.</summary>
    [JsonPropertyName("external_id")]
    public string? ExternalId { get; set; }

    /// <summary>When the customer was created (UTC).</summary>
    [JsonPropertyName("created_datetime")]
    [JsonConverter(typeof(GorgiasDateTimeConverter))]
    public DateTimeOffset? CreatedDatetime { get; set; }

    /// <summary>Members Gorgias sent that this type does not name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A user of the helpdesk, i.e. an agent or admin (<c>/api/users</c>).</summary>
public sealed class GorgiasUser
{
    /// <summary>The user's id.</summary>
    [JsonPropertyName("id")]
    public long? Id { get; set; }

    /// <summary>The user's email.</summary>
    [JsonPropertyName("email")]
    public string? Email { get; set; }

    /// <summary>The user's name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The user's role, e.g. <c>{"name":"admin"}</c>.</summary>
    [JsonPropertyName("role")]
    public JsonElement? Role { get; set; }

    /// <summary>Members Gorgias sent that this type does not name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>Something that happened in the account (<c>/api/events</c>), e.g. <c>ticket-created</c>.</summary>
public sealed class GorgiasEvent
{
    /// <summary>The event's id.</summary>
    [JsonPropertyName("id")]
    public long? Id { get; set; }

    /// <summary>E.g. <c>ticket-created</c>, <c>user-updated</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary>The kind of object it is about, e.g. <c>Ticket</c>.</summary>
    [JsonPropertyName("object_type")]
    public string? ObjectType { get; set; }

    /// <summary>The id of the object it is about.</summary>
    [JsonPropertyName("object_id")]
    public long? ObjectId { get; set; }

    /// <summary>The event's payload, whose shape depends on <see cref="Type"/>.</summary>
    [JsonPropertyName("data")]
    public JsonElement? Data { get; set; }

    /// <summary>When it happened (UTC).</summary>
    [JsonPropertyName("created_datetime")]
    [JsonConverter(typeof(GorgiasDateTimeConverter))]
    public DateTimeOffset? CreatedDatetime { get; set; }

    /// <summary>Members Gorgias sent that this type does not name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>
/// An integration (<c>/api/integrations</c>); an HTTP integration (<c>type: http</c>) is how an app receives events.
/// </summary>
public sealed class GorgiasIntegration
{
    /// <summary>The integration's id (null on create).</summary>
    [JsonPropertyName("id")]
    public long? Id { get; set; }

    /// <summary>E.g. <c>http</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary>The name shown in Gorgias.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>For <c>type: http</c>: url, method, headers, form, content types and triggers.</summary>
    [JsonPropertyName("http")]
    public JsonElement? Http { get; set; }

    /// <summary>When Gorgias deactivated it (e.g. after 100 failed deliveries in a row), or null.</summary>
    [JsonPropertyName("deactivated_datetime")]
    [JsonConverter(typeof(GorgiasDateTimeConverter))]
    public DateTimeOffset? DeactivatedDatetime { get; set; }

    /// <summary>Members Gorgias sent that this type does not name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

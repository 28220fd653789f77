using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>
/// A ticket (<c>/api/tickets</c>). The same type is read and written: members left null are not sent, and members
/// this type does not name are kept in <see cref="Extra"/> and sent back on update.
/// </summary>
public sealed class GorgiasTicket
{
    /// <summary>The ticket's id (null on create).</summary>
    [JsonPropertyName("id")]
    public long? Id { get; set; }

    /// <summary>E.g. <c>open</c> or <c>closed</c>.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    /// <summary>E.g. <c>email</c>, <c>chat</c>, <c>api</c>.</summary>
    [JsonPropertyName("channel")]
    public string? Channel { get; set; }

    /// <summary>E.g. <c>inbound</c> or <c>outbound</c>.</summary>
    [JsonPropertyName("via")]
    public string? Via { get; set; }

    /// <summary>The subject line.</summary>
    [JsonPropertyName("subject")]
    public string? Subject { get; set; }

    /// <summary>The customer the ticket is with.</summary>
    [JsonPropertyName("customer")]
    public GorgiasCustomer? Customer { get; set; }

    /// <summary>The messages, on create (Gorgias requires at least one) and in some answers.</summary>
    [JsonPropertyName("messages")]
    public IList<GorgiasTicketMessage>? Messages { get; set; }

    /// <summary>When the ticket was created (UTC).</summary>
    [JsonPropertyName("created_datetime")]
    [JsonConverter(typeof(GorgiasDateTimeConverter))]
    public DateTimeOffset? CreatedDatetime { get; set; }

    /// <summary>When the ticket last changed (UTC).</summary>
    [JsonPropertyName("updated_datetime")]
    [JsonConverter(typeof(GorgiasDateTimeConverter))]
    public DateTimeOffset? UpdatedDatetime { get; set; }

    /// <summary>Members Gorgias sent that this type does not name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A message of a ticket (<c>/api/tickets/{id}/messages</c>).</summary>
public sealed class GorgiasTicketMessage
{
    /// <summary>The message's id (null on create).</summary>
    [JsonPropertyName("id")]
    public long? Id { get; set; }

    /// <summary>The ticket it belongs to.</summary>
    [JsonPropertyName("ticket_id")]
    public long? TicketId { get; set; }

    /// <summary>E.g. <c>email</c>, <c>chat</c>, <c>api</c>.</summary>
    [JsonPropertyName("channel")]
    public string? Channel { get; set; }

    /// <summary>E.g. <c>api</c>.</summary>
    [JsonPropertyName("via")]
    public string? Via { get; set; }

    /// <summary>True when an agent (not the customer) wrote it.</summary>
    [JsonPropertyName("from_agent")]
    public bool? FromAgent { get; set; }

    /// <summary>The plain-text body.</summary>
    [JsonPropertyName("body_text")]
    public string? BodyText { get; set; }

    /// <summary>The HTML body.</summary>
    [JsonPropertyName("body_html")]
    public string? BodyHtml { get; set; }

    /// <summary>When the message was created (UTC).</summary>
    [JsonPropertyName("created_datetime")]
    [JsonConverter(typeof(GorgiasDateTimeConverter))]
    public DateTimeOffset? CreatedDatetime { get; set; }

    /// <summary>Members Gorgias sent that this type does not name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

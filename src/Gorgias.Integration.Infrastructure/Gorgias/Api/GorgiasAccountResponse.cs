using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>
/// The body of Gorgias's <c>GET /api/account</c>, e.g.
/// <c>{"created_datetime":"2017-11-23T15:59:41.966927","deactivated_datetime":null,"domain":"acme","settings":[…],"status":{"status":"active"}}</c>.
/// Unknown members are ignored.
/// </summary>
public sealed class GorgiasAccountResponse
{
    /// <summary>When the account was created. Gorgias writes UTC without an offset; it is read as UTC.</summary>
    [JsonPropertyName("created_datetime")]
    [JsonConverter(typeof(GorgiasDateTimeConverter))]
    public DateTimeOffset? CreatedDatetime { get; init; }

    /// <summary>When the account was deactivated, or null while it is active.</summary>
    [JsonPropertyName("deactivated_datetime")]
    [JsonConverter(typeof(GorgiasDateTimeConverter))]
    public DateTimeOffset? DeactivatedDatetime { get; init; }

    /// <summary>The account's subdomain, e.g. <c>acme</c>.</summary>
    [JsonPropertyName("domain")]
    public string? Domain { get; init; }

    /// <summary>The account's settings as Gorgias sends them (a list of typed objects whose shapes Gorgias does not fix).</summary>
    [JsonPropertyName("settings")]
    public JsonElement? Settings { get; init; }

    /// <summary>The account's status.</summary>
    [JsonPropertyName("status")]
    public GorgiasAccountStatus? Status { get; init; }
}

/// <summary>The <c>status</c> object of <see cref="GorgiasAccountResponse"/>.</summary>
public sealed class GorgiasAccountStatus
{
    /// <summary>E.g. <c>active</c>.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }
}

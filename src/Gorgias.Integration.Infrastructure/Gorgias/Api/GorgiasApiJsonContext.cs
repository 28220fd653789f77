using System.Text.Json.Serialization;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>
/// Source-generated JSON metadata for the API's bodies: no reflection when reading Gorgias's answers. Null members are
/// not written, so a read model sent back on create or update carries only what is set.
/// </summary>
[JsonSourceGenerationOptions(MaxDepth = 64, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GorgiasAccountResponse))]
[JsonSerializable(typeof(GorgiasApiErrorBody))]
[JsonSerializable(typeof(GorgiasTicket))]
[JsonSerializable(typeof(GorgiasList<GorgiasTicket>))]
[JsonSerializable(typeof(GorgiasTicketMessage))]
[JsonSerializable(typeof(GorgiasList<GorgiasTicketMessage>))]
[JsonSerializable(typeof(GorgiasCustomer))]
[JsonSerializable(typeof(GorgiasList<GorgiasCustomer>))]
[JsonSerializable(typeof(GorgiasUser))]
[JsonSerializable(typeof(GorgiasList<GorgiasUser>))]
[JsonSerializable(typeof(GorgiasEvent))]
[JsonSerializable(typeof(GorgiasList<GorgiasEvent>))]
[JsonSerializable(typeof(GorgiasIntegration))]
[JsonSerializable(typeof(GorgiasList<GorgiasIntegration>))]
internal sealed partial class GorgiasApiJsonContext : JsonSerializerContext;

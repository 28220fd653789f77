using System.Text.Json.Serialization;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>Source-generated JSON metadata for the API's bodies: no reflection when reading Gorgias's answers.</summary>
[JsonSourceGenerationOptions(MaxDepth = 64)]
[JsonSerializable(typeof(GorgiasAccountResponse))]
internal sealed partial class GorgiasApiJsonContext : JsonSerializerContext;

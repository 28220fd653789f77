using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>The part of Gorgias's error body kept: <c>{"error": "…"}</c> (a string, or an object with a <c>msg</c>).</summary>
internal sealed class GorgiasApiErrorBody
{
    private const int MaxErrorLength = 500;

    [JsonPropertyName("error")]
    public JsonElement? Error { get; init; }

    /// <summary>The <c>error</c> text, shortened; null when the body is not JSON or has none.</summary>
    public static async Task<string?> ReadErrorAsync(HttpContent? content)
    {
        if (content is null)
        {
            return null;
        }

        try
        {
            var bytes = await content.ReadAsByteArrayAsync();
            var body = bytes.Length == 0 ? null : JsonSerializer.Deserialize(bytes, GorgiasApiJsonContext.Default.GorgiasApiErrorBody);
            var text = body?.Error switch
            {
                { ValueKind: JsonValueKind.String } s => s.GetString(),
                { ValueKind: JsonValueKind.Object } o when o.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String => msg.GetString(),
                _ => null,
            };
            return text is { Length: > MaxErrorLength } ? text[..MaxErrorLength] : text;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>
/// One page of a Gorgias list: <c>{"data":[…],"object":"list","uri":…,"meta":{"prev_cursor":…,"next_cursor":…}}</c>.
/// Pass <see cref="NextCursor"/> back as <c>cursor</c> for the next page; it is null on the last page.
/// </summary>
/// <typeparam name="T">The resource listed.</typeparam>
public sealed class GorgiasList<T>
{
    /// <summary>The items of this page, in the order asked for.</summary>
    [JsonPropertyName("data")]
    public IReadOnlyList<T> Data { get; init; } = [];

    /// <summary>Always <c>list</c>.</summary>
    [JsonPropertyName("object")]
    public string? Object { get; init; }

    /// <summary>The request this page answers, as Gorgias echoes it.</summary>
    [JsonPropertyName("uri")]
    public string? Uri { get; init; }

    /// <summary>The cursors around this page.</summary>
    [JsonPropertyName("meta")]
    public GorgiasListMeta? Meta { get; init; }

    /// <summary>The cursor of the next page, or null when this page is the last.</summary>
    [JsonIgnore]
    public string? NextCursor => Meta?.NextCursor is { Length: > 0 } next ? next : null;

    /// <summary>Members Gorgias sent that this type does not name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The <c>meta</c> object of a <see cref="GorgiasList{T}"/>.</summary>
public sealed class GorgiasListMeta
{
    /// <summary>The cursor of the previous page, or null on the first.</summary>
    [JsonPropertyName("prev_cursor")]
    public string? PrevCursor { get; init; }

    /// <summary>The cursor of the next page, or null on the last.</summary>
    [JsonPropertyName("next_cursor")]
    public string? NextCursor { get; init; }

    /// <summary>Members Gorgias sent that this type does not name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

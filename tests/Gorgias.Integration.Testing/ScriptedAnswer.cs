using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Gorgias.Integration.Testing;

/// <summary>One scripted answer of <see cref="ScriptableGorgias"/>.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">A body (JSON unless <see cref="ContentType"/> says otherwise), or none.</param>
/// <param name="Headers">Response headers, e.g. <c>Retry-After</c> or <c>X-Gorgias-Account-Api-Call-Limit</c>.</param>
/// <param name="Delay">A real wait before answering (for a client timeout to fire); prefer <paramref name="Hold"/>.</param>
/// <param name="Hold">Waits for <see cref="ScriptableGorgias.ReleaseHeld"/> (or the client giving up) before answering.</param>
/// <param name="DropConnection">Aborts the connection instead of answering.</param>
public sealed record ScriptedAnswer(
    int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan? Delay = null, bool Hold = false, bool DropConnection = false)
{
    /// <summary>The answer's content type when it has a body.</summary>
    public string ContentType { get; init; } = "application/json";

    /// <summary>
    /// Sends the status, headers and body first and only then holds or drops the connection: a body that stops halfway.
    /// </summary>
    public bool BodyFirst { get; init; }

    /// <summary>Spaces streamed after <see cref="Body"/> in 64 KiB chunks until the client stops reading: an oversized body.</summary>
    public long Padding { get; init; }

    /// <summary>A declared <c>Content-Length</c>, or none (chunked).</summary>
    public long? ContentLength { get; init; }

    /// <summary>An answer with no body and optional headers given as name, value pairs.</summary>
    public static ScriptedAnswer Empty(int status, params (string Name, string Value)[] headers) => new(status, null, ToHeaders(headers));

    /// <summary>A JSON answer with optional headers given as name, value pairs.</summary>
    public static ScriptedAnswer Json(int status, string body, params (string Name, string Value)[] headers) => new(status, body, ToHeaders(headers));

    /// <summary><paramref name="value"/> serialized as JSON.</summary>
    public static ScriptedAnswer JsonOf(object value, int status = 200) => new(status, JsonSerializer.Serialize(value));

    /// <summary>A body of <paramref name="contentType"/>, e.g. the HTML page a proxy answers with.</summary>
    public static ScriptedAnswer Text(int status, string body, string contentType = "text/html") => new(status, body) { ContentType = contentType };

    /// <summary>No answer until <see cref="ScriptableGorgias.ReleaseHeld"/>, then <paramref name="status"/>.</summary>
    public static ScriptedAnswer Held(int status = 503) => new(status, Hold: true);

    /// <summary>The connection aborted without an answer.</summary>
    public static ScriptedAnswer Dropped { get; } = new(0, DropConnection: true);

    /// <summary>Gorgias's example account for <paramref name="account"/>, with a field this library does not know.</summary>
    public static ScriptedAnswer Account(string account) => Json(200,
        $$$"""{"created_datetime":"2017-11-23T15:59:41.966927","deactivated_datetime":null,"domain":"{{{account}}}","settings":[{"type":"business-hours","data":{}}],"status":{"status":"active"},"unknown":1}""");

    /// <summary>A token answer as Gorgias sends on refresh: a new access token, no refresh token.</summary>
    public static ScriptedAnswer Grant(string accessToken, int expiresIn) =>
        JsonOf(new Dictionary<string, object> { ["access_token"] = accessToken, ["token_type"] = "Bearer", ["expires_in"] = expiresIn });

    /// <summary>What a deactivated account answers: an HTML 404 page.</summary>
    public static ScriptedAnswer DeactivatedAccount { get; } = Text(404, "<html><body>This helpdesk does not exist</body></html>");

    /// <summary>A Gorgias list page of the given raw JSON items and next cursor.</summary>
    public static ScriptedAnswer Page(IEnumerable<string> items, string? nextCursor, params (string Name, string Value)[] headers) =>
        Json(200, "{\"data\":[" + string.Join(',', items) + "],\"object\":\"list\",\"uri\":\"/api/x\",\"meta\":{\"prev_cursor\":null,\"next_cursor\":"
            + (nextCursor is null ? "null" : "\"" + nextCursor + "\"") + "}}", headers);

    private static Dictionary<string, string> ToHeaders((string Name, string Value)[] headers) =>
        headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);
}

/// <summary>A request <see cref="ScriptableGorgias"/> received.</summary>
/// <param name="Account">The account segment of the path.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path after the account, e.g. <c>/api/tickets</c>.</param>
/// <param name="Query">The query string, with its <c>?</c>, or empty.</param>
/// <param name="Authorization">The Authorization header, or empty.</param>
/// <param name="Body">The request body, or empty.</param>
/// <param name="Number">The 1-based number of this request among those to its method and path.</param>
public sealed record RecordedRequest(string Account, string Method, string Path, string Query, string Authorization, string Body, int Number = 0)
{
    /// <summary>The body read as a URL-encoded form (what the token and revoke endpoints receive).</summary>
    public IReadOnlyDictionary<string, string> Form =>
        QueryHelpers.ParseQuery(Body).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);

    /// <summary>One value of the query string, or empty.</summary>
    public string QueryValue(string name) => QueryHelpers.ParseQuery(Query).TryGetValue(name, out var value) ? value.ToString() : "";
}

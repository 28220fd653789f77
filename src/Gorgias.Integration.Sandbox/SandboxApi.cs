using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Sandbox;

/// <summary>
/// The sandbox's REST resources, answering as Gorgias does: a bearer token the sandbox issued for the account, the
/// resource's scope (or <c>write:all</c>) in it, the <c>X-Gorgias-Account-Api-Call-Limit</c> header on every answer and
/// a 429 with <c>Retry-After</c> when the account's bucket overflows, cursor paging (<c>limit</c> default 30, capped at
/// 100; <c>cursor</c>; <c>order_by</c>), <c>{"error": …}</c> bodies, and a 409 for a customer email already in use.
/// </summary>
internal static class SandboxApi
{
    private const int DefaultLimit = 30;
    private const int MaxLimit = 100;

    // The route's resource → the collection it lives in and its scope prefix.
    private static readonly Dictionary<string, string> Scopes = new(StringComparer.Ordinal)
    {
        ["tickets"] = "tickets",
        ["customers"] = "customers",
        ["users"] = "users",
        ["events"] = "events",
        ["integrations"] = "integrations",
    };

    private static readonly HashSet<string> Writable = new(StringComparer.Ordinal) { "tickets", "customers", "integrations" };

    private static readonly HashSet<string> Deletable = new(StringComparer.Ordinal) { "tickets", "integrations" };

    /// <summary>Maps <c>/api/{resource}</c> onto the sandbox's per-account group.</summary>
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/api/tickets/{id:long}/messages", (string account, long id, HttpContext context) =>
            Answer(context, account, "tickets", write: false, data => data["tickets"].ContainsKey(id)
                ? List(context, data["messages"].Values.Where(m => m["ticket_id"]!.GetValue<long>() == id), $"/api/tickets/{id}/messages")
                : NotFound()));
        group.MapPost("/api/tickets/{id:long}/messages", async (string account, long id, HttpContext context) =>
        {
            var body = await ReadBodyAsync(context);
            return Answer(context, account, "tickets", write: true, data =>
            {
                if (!data["tickets"].ContainsKey(id))
                {
                    return NotFound();
                }

                if (body is null)
                {
                    return Error(StatusCodes.Status400BadRequest, "The body must be a JSON object.");
                }

                body["ticket_id"] = id;
                body["created_datetime"] ??= Now(context);
                data.Add("messages", body);
                return Json(StatusCodes.Status201Created, body);
            });
        });

        group.MapGet("/api/{resource}", (string account, string resource, HttpContext context) =>
            Scopes.ContainsKey(resource)
                ? Answer(context, account, resource, write: false, data => List(context, Filter(context, resource, data[resource].Values), "/api/" + resource))
                : NotFound());
        group.MapGet("/api/{resource}/{id:long}", (string account, string resource, long id, HttpContext context) =>
            Scopes.ContainsKey(resource)
                ? Answer(context, account, resource, write: false, data => data[resource].TryGetValue(id, out var item) ? Json(StatusCodes.Status200OK, item) : NotFound())
                : NotFound());
        group.MapPost("/api/{resource}", async (string account, string resource, HttpContext context) =>
        {
            if (!Writable.Contains(resource))
            {
                return NotFound();
            }

            var body = await ReadBodyAsync(context);
            return Answer(context, account, resource, write: true, data => Create(context, resource, body, data));
        });
        group.MapPut("/api/{resource}/{id:long}", async (string account, string resource, long id, HttpContext context) =>
        {
            if (!Writable.Contains(resource))
            {
                return NotFound();
            }

            var body = await ReadBodyAsync(context);
            return Answer(context, account, resource, write: true, data => Update(context, resource, id, body, data));
        });
        group.MapDelete("/api/{resource}/{id:long}", (string account, string resource, long id, HttpContext context) =>
            Deletable.Contains(resource)
                ? Answer(context, account, resource, write: true, data => data[resource].Remove(id) ? Results.NoContent() : NotFound())
                : NotFound());
    }

    /// <summary>Checks the token and its scope, counts the call in the account's bucket, then runs <paramref name="act"/> under the account's lock.</summary>
    private static IResult Answer(HttpContext context, string account, string resource, bool write, Func<SandboxData.AccountData, IResult> act)
    {
        account = account.ToLowerInvariant();
        var services = context.RequestServices;
        services.GetRequiredService<SandboxMonitor>().RecordApiCall();
        var state = services.GetRequiredService<SandboxState>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (GrantedScope(context.Request, state, account, now) is not { } granted)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return Error(StatusCodes.Status401Unauthorized, "Unauthorized");
        }

        var (level, retryAfter) = state.CountApiCall(account, now);
        context.Response.Headers["X-Gorgias-Account-Api-Call-Limit"] = $"{level}/{state.ApiCallLimit}";
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((long)wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return Error(StatusCodes.Status429TooManyRequests, "Too Many Requests");
        }

        var prefix = Scopes[resource];
        var scopes = granted.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!scopes.Contains("write:all") && !scopes.Contains(prefix + ":write") && (write || !scopes.Contains(prefix + ":read")))
        {
            return Error(StatusCodes.Status403Forbidden, $"The access token lacks the scope {prefix}:{(write ? "write" : "read")}.");
        }

        var data = services.GetRequiredService<SandboxData>().For(account);
        lock (data.Lock)
        {
            return act(data);
        }
    }

    /// <summary>The scope claim of a valid access token the sandbox issued for <paramref name="account"/>, or null.</summary>
    private static string? GrantedScope(HttpRequest request, SandboxState state, string account, DateTimeOffset now)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        using var payload = SandboxJwt.Read(state.SigningKey, SandboxJwt.AccessTokenHeader, value["Bearer ".Length..].Trim());
        if (payload is null)
        {
            return null;
        }

        var claims = payload.RootElement;
        var valid = claims.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var expiresAt) && expiresAt > now.ToUnixTimeSeconds()
            && claims.TryGetProperty("iss", out var iss) && iss.ValueKind == JsonValueKind.String
            && iss.GetString()!.EndsWith("/" + account, StringComparison.Ordinal);
        return valid && claims.TryGetProperty("scope", out var scope) && scope.ValueKind == JsonValueKind.String ? scope.GetString() : null;
    }

    private static IEnumerable<JsonObject> Filter(HttpContext context, string resource, IEnumerable<JsonObject> items)
    {
        var query = context.Request.Query;
        return resource switch
        {
            "tickets" when long.TryParse(query["customer_id"], CultureInfo.InvariantCulture, out var customer) =>
                items.Where(t => t["customer"]?["id"]?.GetValue<long>() == customer),
            "customers" when query["email"].ToString() is { Length: > 0 } email =>
                items.Where(c => string.Equals(c["email"]?.GetValue<string>(), email, StringComparison.OrdinalIgnoreCase)),
            "events" when query["object_type"].ToString() is { Length: > 0 } type =>
                items.Where(e => string.Equals(e["object_type"]?.GetValue<string>(), type, StringComparison.Ordinal)),
            _ => items,
        };
    }

    /// <summary>One page: the cursor is the base64url offset into the list in the asked order.</summary>
    private static IResult List(HttpContext context, IEnumerable<JsonObject> items, string path)
    {
        var query = context.Request.Query;
        var limit = DefaultLimit;
        if (query["limit"].ToString() is { Length: > 0 } limitText)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1)
            {
                return Error(StatusCodes.Status400BadRequest, "limit must be a positive number.");
            }

            limit = Math.Min(limit, MaxLimit);
        }

        var orderBy = query["order_by"].ToString();
        var (field, descending) = orderBy.Split(':') switch
        {
            [""] => ("id", false),
            [var f] => (f, false),
            [var f, "asc"] => (f, false),
            [var f, "desc"] => (f, true),
            _ => ("", false),
        };
        if (field is not ("id" or "created_datetime" or "updated_datetime"))
        {
            return Error(StatusCodes.Status400BadRequest, "order_by must be id, created_datetime or updated_datetime, with :asc or :desc.");
        }

        var offset = 0;
        if (query["cursor"].ToString() is { Length: > 0 } cursor && !TryReadCursor(cursor, out offset))
        {
            return Error(StatusCodes.Status400BadRequest, "Invalid cursor.");
        }

        Func<JsonObject, string> key = field == "id"
            ? item => item["id"]!.GetValue<long>().ToString("D20", CultureInfo.InvariantCulture)
            : item => (item[field]?.GetValue<string>() ?? "") + item["id"]!.GetValue<long>().ToString("D20", CultureInfo.InvariantCulture);
        var ordered = descending ? items.OrderByDescending(key, StringComparer.Ordinal) : items.OrderBy(key, StringComparer.Ordinal);
        var all = ordered.ToList();
        var page = all.Skip(offset).Take(limit).Select(item => item.DeepClone()).ToArray();
        var next = offset + limit < all.Count ? Cursor(offset + limit) : null;
        var previous = offset > 0 ? Cursor(Math.Max(0, offset - limit)) : null;
        return Json(StatusCodes.Status200OK, new JsonObject
        {
            ["data"] = new JsonArray(page),
            ["object"] = "list",
            ["uri"] = path + context.Request.QueryString,
            ["meta"] = new JsonObject { ["prev_cursor"] = previous, ["next_cursor"] = next },
        });
    }

    private static IResult Create(HttpContext context, string resource, JsonObject? body, SandboxData.AccountData data)
    {
        if (body is null)
        {
            return Error(StatusCodes.Status400BadRequest, "The body must be a JSON object.");
        }

        switch (resource)
        {
            case "tickets" when body["messages"] is not JsonArray { Count: > 0 }:
                return Error(StatusCodes.Status400BadRequest, "A ticket needs at least one message.");
            case "customers" when EmailInUse(data, body, exceptId: null):
                return Error(StatusCodes.Status409Conflict, "A customer with this email already exists.");
        }

        var now = Now(context);
        body["created_datetime"] = now;
        body["updated_datetime"] = now;
        var messages = resource == "tickets" ? body["messages"]!.AsArray().Select(m => m!.DeepClone().AsObject()).ToList() : [];
        body.Remove("messages");
        var id = data.Add(resource, body);
        foreach (var message in messages)
        {
            message["ticket_id"] = id;
            message["created_datetime"] = now;
            data.Add("messages", message);
        }

        return Json(StatusCodes.Status201Created, body);
    }

    private static IResult Update(HttpContext context, string resource, long id, JsonObject? body, SandboxData.AccountData data)
    {
        if (!data[resource].TryGetValue(id, out var item))
        {
            return NotFound();
        }

        if (body is null)
        {
            return Error(StatusCodes.Status400BadRequest, "The body must be a JSON object.");
        }

        if (resource == "customers" && EmailInUse(data, body, exceptId: id))
        {
            return Error(StatusCodes.Status409Conflict, "A customer with this email already exists.");
        }

        foreach (var (name, value) in body.ToList())
        {
            if (name is not ("id" or "created_datetime" or "messages"))
            {
                item[name] = value?.DeepClone();
            }
        }

        item["updated_datetime"] = Now(context);
        return Json(StatusCodes.Status200OK, item);
    }

    private static bool EmailInUse(SandboxData.AccountData data, JsonObject body, long? exceptId) =>
        body["email"]?.GetValue<string>() is { } email
        && data["customers"].Values.Any(c => c["id"]!.GetValue<long>() != exceptId
            && string.Equals(c["email"]?.GetValue<string>(), email, StringComparison.OrdinalIgnoreCase));

    private static async Task<JsonObject?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Now(HttpContext context) =>
        SandboxData.Timestamp(context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);

    private static string Cursor(int offset) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes("offset:" + offset.ToString(CultureInfo.InvariantCulture)));

    private static bool TryReadCursor(string cursor, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith("offset:", StringComparison.Ordinal)
                && int.TryParse(text.AsSpan("offset:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static IResult NotFound() => Error(StatusCodes.Status404NotFound, "Not Found");

    private static IResult Error(int status, string message) => Json(status, new JsonObject { ["error"] = message });

    private static IResult Json(int status, JsonNode body) =>
        Results.Text(body.ToJsonString(), "application/json", Encoding.UTF8, status);
}

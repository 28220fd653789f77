using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Gorgias.Integration.Sandbox.SandboxApiLists;
using static Gorgias.Integration.Sandbox.SandboxApiResults;
using static Gorgias.Integration.Sandbox.SandboxApiWrites;

namespace Gorgias.Integration.Sandbox;

/// <summary>
/// The sandbox's REST resources, answering as Gorgias does: a bearer token the sandbox issued for the account, the
/// resource's scope (or <c>write:all</c>) in it, the <c>X-Gorgias-Account-Api-Call-Limit</c> header on every answer and
/// a 429 with <c>Retry-After</c> when the account's bucket overflows, cursor paging (<c>limit</c> default 30, capped at
/// 100; <c>cursor</c>; <c>order_by</c>), <c>{"error": …}</c> bodies, and a 409 for a customer email already in use.
/// </summary>
internal static class SandboxApi
{
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
                MessageCreated(context, data["tickets"][id], body, data);
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


    /// <summary><c>/api/account</c>: any valid token of the account may read it, whatever its scopes.</summary>
    internal static IResult GetAccount(string account, HttpContext context)
    {
        account = account.ToLowerInvariant();
        if (SandboxApiGate.Admit(context, account, requireScope: false, out _) is { } refused)
        {
            return refused;
        }

        return SandboxOAuthHttp.Json(StatusCodes.Status200OK, json =>
        {
            json.WriteString("created_datetime", "2017-11-23T15:59:41.966927");
            json.WriteNull("deactivated_datetime");
            json.WriteString("domain", account);
            json.WriteStartArray("settings");
            json.WriteEndArray();
            json.WriteStartObject("status");
            json.WriteString("status", "active");
            json.WriteEndObject();
        });
    }

    /// <summary>Checks the token and its scope, counts the call in the account's bucket, then runs <paramref name="act"/> under the account's lock.</summary>
    private static IResult Answer(HttpContext context, string account, string resource, bool write, Func<SandboxData.AccountData, IResult> act)
    {
        account = account.ToLowerInvariant();
        if (SandboxApiGate.Admit(context, account, requireScope: true, out var granted) is { } refused)
        {
            return refused;
        }

        var prefix = Scopes[resource];
        var scopes = granted!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!scopes.Contains("write:all") && !scopes.Contains(prefix + ":write") && (write || !scopes.Contains(prefix + ":read")))
        {
            return Error(StatusCodes.Status403Forbidden, $"The access token lacks the scope {prefix}:{(write ? "write" : "read")}.");
        }

        var data = context.RequestServices.GetRequiredService<SandboxData>().For(account);
        lock (data.Lock)
        {
            return act(data);
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Gorgias.Integration.Sandbox.SandboxApiResults;

namespace Gorgias.Integration.Sandbox;

/// <summary>Creating and updating resources; a customer email already in use is a 409, as at Gorgias.</summary>
internal static class SandboxApiWrites
{
    internal static IResult Create(HttpContext context, string resource, JsonObject? body, SandboxData.AccountData data)
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

        if (resource == "tickets")
        {
            TicketCreated(context, body, messages.FirstOrDefault(), data);
        }

        return Json(StatusCodes.Status201Created, body);
    }

    internal static IResult Update(HttpContext context, string resource, long id, JsonObject? body, SandboxData.AccountData data)
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

    /// <summary>What Gorgias does next: the account's HTTP integrations hear of the new ticket (call under the account's lock).</summary>
    internal static void TicketCreated(HttpContext context, JsonObject ticket, JsonObject? firstMessage, SandboxData.AccountData data)
    {
        var account = (context.GetRouteValue("account") as string ?? "").ToLowerInvariant();
        ticket["last_message_datetime"] = firstMessage?["created_datetime"]?.DeepClone();
        context.RequestServices.GetRequiredService<SandboxHttpIntegrations>().Trigger(account, data, "ticket-created", ticket, firstMessage);
    }

    /// <summary>A message was added to <paramref name="ticket"/> (call under the account's lock).</summary>
    internal static void MessageCreated(HttpContext context, JsonObject ticket, JsonObject message, SandboxData.AccountData data)
    {
        var account = (context.GetRouteValue("account") as string ?? "").ToLowerInvariant();
        ticket["updated_datetime"] = message["created_datetime"]?.DeepClone();
        ticket["last_message_datetime"] = message["created_datetime"]?.DeepClone();
        context.RequestServices.GetRequiredService<SandboxHttpIntegrations>().Trigger(account, data, "ticket-message-created", ticket, message);
    }

    internal static bool EmailInUse(SandboxData.AccountData data, JsonObject body, long? exceptId) =>
        body["email"]?.GetValue<string>() is { } email
        && data["customers"].Values.Any(c => c["id"]!.GetValue<long>() != exceptId
            && string.Equals(c["email"]?.GetValue<string>(), email, StringComparison.OrdinalIgnoreCase));

    internal static async Task<JsonObject?> ReadBodyAsync(HttpContext context)
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
}

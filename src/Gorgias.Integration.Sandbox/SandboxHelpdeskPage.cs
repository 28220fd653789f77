using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Sandbox;

/// <summary>
/// The sandbox's stand-in for Gorgias's helpdesk screen: <c>GET /sandbox/{account}/helpdesk</c> lists the account's
/// HTTP integrations and has buttons that create a ticket or add a message, as an agent or a customer would in Gorgias,
/// so the app's events can be tried by hand. Local only, like the rest of the sandbox.
/// </summary>
internal static class SandboxHelpdeskPage
{
    public static IResult Show(string account, HttpContext context)
    {
        account = account.ToLowerInvariant();
        var data = context.RequestServices.GetRequiredService<SandboxData>().For(account);
        var html = new StringBuilder();
        var name = HtmlEncoder.Default.Encode(account);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sandbox helpdesk: ").Append(name)
            .Append("</title></head><body><h1>Sandbox helpdesk: ").Append(name).Append("</h1><h2>HTTP integrations</h2><ul id=\"integrations\">");
        lock (data.Lock)
        {
            foreach (var integration in data["integrations"].Values)
            {
                html.Append("<li>").Append(HtmlEncoder.Default.Encode(integration["name"]?.ToString() ?? "(no name)"))
                    .Append(integration["deactivated_datetime"] is null ? " <small>active</small>" : " <small>deactivated</small>").Append("</li>");
            }
        }

        html.Append("</ul><form method=\"post\" action=\"helpdesk/tickets\"><button id=\"create-ticket\" type=\"submit\">Create a ticket</button></form>")
            .Append("<form method=\"post\" action=\"helpdesk/messages\"><button id=\"add-message\" type=\"submit\">Add a message to the newest ticket</button></form>")
            .Append("</body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8");
    }

    public static IResult CreateTicket(string account, HttpContext context)
    {
        account = account.ToLowerInvariant();
        var data = context.RequestServices.GetRequiredService<SandboxData>().For(account);
        lock (data.Lock)
        {
            var now = SandboxApiResults.Now(context);
            var ticket = new JsonObject
            {
                ["status"] = "open",
                ["channel"] = "email",
                ["via"] = "email",
                ["subject"] = "Created on the sandbox helpdesk page",
                ["created_datetime"] = now,
                ["updated_datetime"] = now,
            };
            var id = data.Add("tickets", ticket);
            var message = new JsonObject { ["ticket_id"] = id, ["channel"] = "email", ["via"] = "email", ["from_agent"] = false, ["body_text"] = "Hello from the sandbox.", ["created_datetime"] = now };
            data.Add("messages", message);
            SandboxApiWrites.TicketCreated(context, ticket, message, data);
        }

        return TypedResults.Redirect("../helpdesk");
    }

    public static IResult AddMessage(string account, HttpContext context)
    {
        account = account.ToLowerInvariant();
        var data = context.RequestServices.GetRequiredService<SandboxData>().For(account);
        lock (data.Lock)
        {
            if (data["tickets"].Count == 0)
            {
                return TypedResults.NotFound();
            }

            var ticket = data["tickets"].Values.Last();
            var message = new JsonObject
            {
                ["ticket_id"] = ticket["id"]!.GetValue<long>(),
                ["channel"] = "email",
                ["via"] = "helpdesk",
                ["from_agent"] = true,
                ["body_text"] = "A reply from the sandbox.",
                ["created_datetime"] = SandboxApiResults.Now(context),
            };
            data.Add("messages", message);
            SandboxApiWrites.MessageCreated(context, ticket, message, data);
        }

        return TypedResults.Redirect("../helpdesk");
    }
}

using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Inbox;

namespace Gorgias.Integration.Host;

/// <summary>
/// The start page's "last events received" in sandbox mode with <c>Gorgias:Events:Triggers</c> set: the inbox's newest
/// events and whether the handlers took them, and a link to each account's sandbox helpdesk page, whose buttons make
/// the sandbox deliver events. Sandbox only, for the reason <see cref="SandboxTickets"/> gives.
/// </summary>
internal static class RecentEvents
{
    private const int Shown = 10;

    public static async Task<string> RenderAsync(IEventInbox inbox, IReadOnlyList<string> accounts, CancellationToken cancellationToken)
    {
        var events = await inbox.ListRecentAsync(null, Shown, cancellationToken);
        var html = new StringBuilder("<h2>Last events received</h2>");
        foreach (var account in accounts)
        {
            var encoded = HtmlEncoder.Default.Encode(account);
            html.Append("<p><a href=\"").Append(HostSettings.SandboxPrefix).Append('/').Append(encoded)
                .Append("/helpdesk\">Create a ticket in the sandbox account ").Append(encoded).Append("</a></p>");
        }

        if (events.Count == 0)
        {
            return html.Append("<p id=\"no-events\">None yet.</p>").ToString();
        }

        html.Append("<table id=\"events\"><tr><th>account</th><th>event</th><th>ticket</th><th>received</th><th>state</th></tr>");
        foreach (var e in events)
        {
            html.Append("<tr><td>").Append(HtmlEncoder.Default.Encode(e.Account.Value))
                .Append("</td><td>").Append(HtmlEncoder.Default.Encode(e.EventName))
                .Append("</td><td>").Append(e.TicketId?.ToString(CultureInfo.InvariantCulture) ?? "")
                .Append("</td><td>").Append(e.ReceivedAt.ToString("u", CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(State(e)).Append("</td></tr>");
        }

        return html.Append("</table>").ToString();
    }

    private static string State(InboxEvent e) =>
        e.HandledAt is not null ? "handled"
        : e.ParkedAt is not null ? $"parked after {e.Attempts} attempts"
        : e.Attempts > 0 ? $"retrying ({e.Attempts} attempts)"
        : "waiting";
}

using System.Text;
using System.Text.Encodings.Web;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Installations.ListInstallations;
using Gorgias.Integration.Domain.Installations;
using Mediator;

namespace Gorgias.Integration.Host;

/// <summary>
/// The start page's "latest tickets" in sandbox mode: after an install, the sandbox account's newest tickets, read through
/// the typed API client (token, scopes, limits) exactly as an app would. Sandbox only: the start page is public, and a
/// real account's tickets are not for anyone who opens it.
/// </summary>
internal static class SandboxTickets
{
    private const int Accounts = 3;
    private const int TicketsPerAccount = 5;

    // The page must never wait on the API: a slow or rate-limited read shows a line instead of holding the page.
    private static readonly TimeSpan ReadBudget = TimeSpan.FromSeconds(2);

    public static async Task<string> RenderAsync(IMediator mediator, IGorgiasApiClient api, CancellationToken cancellationToken)
    {
        var installations = await mediator.Send(new ListInstallationsQuery(), cancellationToken);
        var active = installations.Where(i => i.Status == InstallationStatus.Active).Take(Accounts).ToList();
        if (active.Count == 0)
        {
            return "";
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(ReadBudget);
        var html = new StringBuilder("<h2>Latest tickets</h2>");
        foreach (var installation in active)
        {
            var account = installation.Account;
            html.Append("<h3>").Append(HtmlEncoder.Default.Encode(account.Value)).Append("</h3>");
            Application.Common.Results.Result<GorgiasTicketPage> page;
            try
            {
                page = await api.ListTicketsAsync(account, TicketsPerAccount, cursor: null, "created_datetime:desc", budget.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                html.Append("<p>The tickets did not arrive within ").Append(ReadBudget.TotalSeconds).Append(" s.</p>");
                continue;
            }

            if (!page.IsSuccess)
            {
                html.Append("<p>Could not read the tickets: ").Append(HtmlEncoder.Default.Encode(page.Error!.Message)).Append("</p>");
                continue;
            }

            html.Append("<ul class=\"tickets\">");
            foreach (var ticket in page.Value.Data)
            {
                html.Append("<li>#").Append(ticket.Id).Append(' ')
                    .Append(HtmlEncoder.Default.Encode(ticket.Subject ?? "(no subject)"))
                    .Append(" <small>").Append(HtmlEncoder.Default.Encode(ticket.Status ?? "")).Append("</small></li>");
            }

            html.Append("</ul>");
        }

        return html.ToString();
    }
}

using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Installations.GetGorgiasTicket;
using Gorgias.Integration.Application.Installations.ListGorgiasTickets;
using Gorgias.Integration.Web.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Gorgias.Integration.Web.Endpoints;

/// <summary>
/// Admin routes that call Gorgias through the typed client with the stored token, for operators and for checking the
/// client from outside; failures map as on <c>/{account}/gorgias/account</c>.
/// </summary>
internal static class GorgiasApiEndpoints
{
    public static RouteGroupBuilder MapGorgiasApiEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/{account}/gorgias/tickets", ListTickets).WithName("GorgiasListTickets");
        group.MapGet("/{account}/gorgias/tickets/{id:long}", GetTicket).WithName("GorgiasGetTicket");
        return group;
    }

    /// <summary><c>GET /installations/{account}/gorgias/tickets?limit=&amp;cursor=&amp;order_by=</c>: one page, <c>{"data":[…],"nextCursor":…}</c>.</summary>
    public static Task<Results<Ok<GorgiasTicketPage>, ProblemHttpResult>> ListTickets(
        string account, int? limit, string? cursor, [FromQuery(Name = "order_by")] string? orderBy,
        HttpContext context, ISender sender, CancellationToken cancellationToken) =>
        SendAsync(context, () => sender.Send(new ListGorgiasTicketsQuery(account, limit, cursor, orderBy), cancellationToken));

    /// <summary><c>GET /installations/{account}/gorgias/tickets/{id}</c>: one ticket.</summary>
    public static Task<Results<Ok<GorgiasTicketSummary>, ProblemHttpResult>> GetTicket(
        string account, long id, HttpContext context, ISender sender, CancellationToken cancellationToken) =>
        SendAsync(context, () => sender.Send(new GetGorgiasTicketQuery(account, id), cancellationToken));

    private static async Task<Results<Ok<T>, ProblemHttpResult>> SendAsync<T>(HttpContext context, Func<ValueTask<Result<T>>> send)
    {
        // Validation failures arrive as Result errors too, mapped in ErrorResults like every other failure.
        var result = await send();
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ErrorResults.Problem(context, result.Error);
    }
}

using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>Gorgias's REST API for one account, called with the installation's access token.</summary>
public interface IGorgiasApiClient
{
    /// <summary><c>GET /api/account</c>.</summary>
    Task<Result<GorgiasAccount>> GetAccountAsync(AccountName account, CancellationToken cancellationToken);

    /// <summary><c>GET /api/tickets</c>: one page (<paramref name="limit"/> 1–100, Gorgias's cursor and order).</summary>
    Task<Result<GorgiasTicketPage>> ListTicketsAsync(AccountName account, int limit, string? cursor, string? orderBy, CancellationToken cancellationToken);

    /// <summary><c>GET /api/tickets/{id}</c>.</summary>
    Task<Result<GorgiasTicketSummary>> GetTicketAsync(AccountName account, long id, CancellationToken cancellationToken);
}

/// <summary>What <c>GET /api/account</c> returns (the fields this integration uses).</summary>
/// <param name="Domain">The account's subdomain.</param>
/// <param name="Status">The account status, e.g. <c>active</c>.</param>
/// <param name="CreatedDatetime">When the account was created.</param>
/// <param name="DeactivatedDatetime">When it was deactivated, if it was.</param>
public sealed record GorgiasAccount(string Domain, string? Status, DateTimeOffset? CreatedDatetime, DateTimeOffset? DeactivatedDatetime);

/// <summary>A ticket as the host's routes show it (the fields an operator checks).</summary>
/// <param name="Id">Gorgias's ticket id.</param>
/// <param name="Subject">The subject line.</param>
/// <param name="Status">E.g. <c>open</c> or <c>closed</c>.</param>
/// <param name="Channel">E.g. <c>email</c>.</param>
/// <param name="CustomerEmail">The customer's email, if known.</param>
/// <param name="CreatedDatetime">When the ticket was created.</param>
/// <param name="UpdatedDatetime">When it last changed.</param>
public sealed record GorgiasTicketSummary(
    long Id, string? Subject, string? Status, string? Channel, string? CustomerEmail, DateTimeOffset? CreatedDatetime, DateTimeOffset? UpdatedDatetime);

/// <summary>One page of tickets and the cursor of the next (null on the last page).</summary>
/// <param name="Data">The tickets of this page.</param>
/// <param name="NextCursor">Pass it back as <c>cursor</c> for the next page.</param>
public sealed record GorgiasTicketPage(IReadOnlyList<GorgiasTicketSummary> Data, string? NextCursor);

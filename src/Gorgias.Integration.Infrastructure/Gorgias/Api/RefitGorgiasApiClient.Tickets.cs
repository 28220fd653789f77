using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Tokens;
using Gorgias.Integration.Domain.Installations;
using Polly.Timeout;
using Refit;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>The ticket reads of <see cref="RefitGorgiasApiClient"/>, over the typed client, with the account route's error mapping.</summary>
internal sealed partial class RefitGorgiasApiClient
{
    private const string TicketsEndpoint = "/api/tickets";

    public Task<Result<GorgiasTicketPage>> ListTicketsAsync(AccountName account, int limit, string? cursor, string? orderBy, CancellationToken cancellationToken) =>
        CallAsync(account, TicketsEndpoint, async (api, ct) =>
        {
            var page = await api.ListTicketsAsync(limit, cursor, orderBy, customerId: null, viewId: null, ct);
            var tickets = new List<GorgiasTicketSummary>(page.Data.Count);
            foreach (var ticket in page.Data)
            {
                if (Summarize(ticket) is not { } summary)
                {
                    return null;
                }

                tickets.Add(summary);
            }

            return new GorgiasTicketPage(tickets, page.NextCursor);
        }, cancellationToken);

    public Task<Result<GorgiasTicketSummary>> GetTicketAsync(AccountName account, long id, CancellationToken cancellationToken) =>
        CallAsync(account, TicketsEndpoint + "/{id}", async (api, ct) => Summarize(await api.GetTicketAsync(id, ct)), cancellationToken);

    private static GorgiasTicketSummary? Summarize(GorgiasTicket? ticket) =>
        ticket is { Id: { } id }
            ? new GorgiasTicketSummary(id, ticket.Subject, ticket.Status, ticket.Channel, ticket.Customer?.Email, ticket.CreatedDatetime, ticket.UpdatedDatetime)
            : null;

    /// <summary>Runs one typed call; every outcome but the caller's cancellation becomes a <see cref="Result{T}"/>.</summary>
    private async Task<Result<T>> CallAsync<T>(AccountName account, string endpoint, Func<IGorgiasApi, CancellationToken, Task<T?>> call,
        CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(account);
        try
        {
            if (await call(apis.For(account), cancellationToken) is { } value)
            {
                return value;
            }

            LogInvalidResponse(logger, endpoint, account, 200);
            return InvalidResponse(account);
        }
        catch (GorgiasAccessException ex)
        {
            return ex.Error;
        }
        catch (GorgiasScopeException ex)
        {
            return new Error(ErrorKind.GorgiasError, "gorgias_scope_missing", ex.Message);
        }
        catch (GorgiasApiException ex)
        {
            return FromStatus(ex.StatusCode, ex.Headers.RetryAfter, account, endpoint);
        }
        catch (ApiException ex) when (ex.StatusCode is >= System.Net.HttpStatusCode.OK and < System.Net.HttpStatusCode.MultipleChoices)
        {
            // A 2xx whose body did not deserialize.
            LogInvalidResponse(logger, endpoint, account, (int)ex.StatusCode);
            return InvalidResponse(account);
        }
        catch (Exception ex) when (ex is ApiRequestException or HttpRequestException or IOException or OperationCanceledException or TimeoutRejectedException)
        {
            return Failed(ex, account, endpoint, cancellationToken);
        }
    }
}

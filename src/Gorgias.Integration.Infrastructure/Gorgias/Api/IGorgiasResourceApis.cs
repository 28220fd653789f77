using Refit;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>
/// <c>/api/tickets</c> and <c>/api/tickets/{id}/messages</c> (scopes <c>tickets:read</c> / <c>tickets:write</c>).
/// Lists take Gorgias's cursor paging: <c>limit</c> (1–100, default 30), <c>cursor</c> (a page's
/// <see cref="GorgiasList{T}.NextCursor"/>), <c>order_by</c> (e.g. <c>created_datetime:desc</c>); null leaves one out.
/// An HTTP error throws <see cref="GorgiasApiException"/>.
/// </summary>
[Headers("Accept: application/json")]
public interface IGorgiasTicketsApi
{
    /// <summary><c>GET /api/tickets</c>: one page of tickets.</summary>
    [Get("/api/tickets")]
    Task<GorgiasList<GorgiasTicket>> ListTicketsAsync(int? limit, string? cursor, [AliasAs("order_by")] string? orderBy,
        [AliasAs("customer_id")] long? customerId, [AliasAs("view_id")] long? viewId, CancellationToken cancellationToken);

    /// <summary><c>GET /api/tickets/{id}</c>.</summary>
    [Get("/api/tickets/{id}")]
    Task<GorgiasTicket> GetTicketAsync(long id, CancellationToken cancellationToken);

    /// <summary><c>POST /api/tickets</c> (with at least one message); never retried by the client.</summary>
    [Post("/api/tickets")]
    Task<GorgiasTicket> CreateTicketAsync([Body] GorgiasTicket ticket, CancellationToken cancellationToken);

    /// <summary><c>PUT /api/tickets/{id}</c>: changes the members that are set.</summary>
    [Put("/api/tickets/{id}")]
    Task<GorgiasTicket> UpdateTicketAsync(long id, [Body] GorgiasTicket ticket, CancellationToken cancellationToken);

    /// <summary><c>DELETE /api/tickets/{id}</c>.</summary>
    [Delete("/api/tickets/{id}")]
    Task DeleteTicketAsync(long id, CancellationToken cancellationToken);

    /// <summary><c>GET /api/tickets/{ticketId}/messages</c>: one page of a ticket's messages.</summary>
    [Get("/api/tickets/{ticketId}/messages")]
    Task<GorgiasList<GorgiasTicketMessage>> ListTicketMessagesAsync(long ticketId, int? limit, string? cursor,
        [AliasAs("order_by")] string? orderBy, CancellationToken cancellationToken);

    /// <summary><c>POST /api/tickets/{ticketId}/messages</c>; never retried by the client.</summary>
    [Post("/api/tickets/{ticketId}/messages")]
    Task<GorgiasTicketMessage> CreateTicketMessageAsync(long ticketId, [Body] GorgiasTicketMessage message, CancellationToken cancellationToken);
}

/// <summary><c>/api/customers</c> (scopes <c>customers:read</c> / <c>customers:write</c>); paging as on <see cref="IGorgiasTicketsApi"/>.</summary>
[Headers("Accept: application/json")]
public interface IGorgiasCustomersApi
{
    /// <summary><c>GET /api/customers</c>: one page of customers, optionally those with one email.</summary>
    [Get("/api/customers")]
    Task<GorgiasList<GorgiasCustomer>> ListCustomersAsync(int? limit, string? cursor, [AliasAs("order_by")] string? orderBy,
        string? email, CancellationToken cancellationToken);

    /// <summary><c>GET /api/customers/{id}</c>.</summary>
    [Get("/api/customers/{id}")]
    Task<GorgiasCustomer> GetCustomerAsync(long id, CancellationToken cancellationToken);

    /// <summary><c>POST /api/customers</c>; a used email is a 409 (<see cref="GorgiasApiErrorKind.Conflict"/>).</summary>
    [Post("/api/customers")]
    Task<GorgiasCustomer> CreateCustomerAsync([Body] GorgiasCustomer customer, CancellationToken cancellationToken);

    /// <summary><c>PUT /api/customers/{id}</c>.</summary>
    [Put("/api/customers/{id}")]
    Task<GorgiasCustomer> UpdateCustomerAsync(long id, [Body] GorgiasCustomer customer, CancellationToken cancellationToken);
}

/// <summary><c>/api/users</c> (scope <c>users:read</c>) and <c>/api/events</c> (scope <c>events:read</c>).</summary>
[Headers("Accept: application/json")]
public interface IGorgiasUsersAndEventsApi
{
    /// <summary><c>GET /api/users</c>: one page of the helpdesk's users.</summary>
    [Get("/api/users")]
    Task<GorgiasList<GorgiasUser>> ListUsersAsync(int? limit, string? cursor, [AliasAs("order_by")] string? orderBy, CancellationToken cancellationToken);

    /// <summary><c>GET /api/users/{id}</c>.</summary>
    [Get("/api/users/{id}")]
    Task<GorgiasUser> GetUserAsync(long id, CancellationToken cancellationToken);

    /// <summary><c>GET /api/events</c>: one page of events, optionally of one object type (e.g. <c>Ticket</c>).</summary>
    [Get("/api/events")]
    Task<GorgiasList<GorgiasEvent>> ListEventsAsync(int? limit, string? cursor, [AliasAs("order_by")] string? orderBy,
        [AliasAs("object_type")] string? objectType, CancellationToken cancellationToken);
}

/// <summary><c>/api/integrations</c> (scopes <c>integrations:read</c> / <c>integrations:write</c>).</summary>
[Headers("Accept: application/json")]
public interface IGorgiasIntegrationsApi
{
    /// <summary><c>GET /api/integrations</c>: one page of integrations.</summary>
    [Get("/api/integrations")]
    Task<GorgiasList<GorgiasIntegration>> ListIntegrationsAsync(int? limit, string? cursor, [AliasAs("order_by")] string? orderBy,
        CancellationToken cancellationToken);

    /// <summary><c>GET /api/integrations/{id}</c>.</summary>
    [Get("/api/integrations/{id}")]
    Task<GorgiasIntegration> GetIntegrationAsync(long id, CancellationToken cancellationToken);

    /// <summary><c>POST /api/integrations</c>, e.g. an HTTP integration that delivers events to the app.</summary>
    [Post("/api/integrations")]
    Task<GorgiasIntegration> CreateIntegrationAsync([Body] GorgiasIntegration integration, CancellationToken cancellationToken);

    /// <summary><c>PUT /api/integrations/{id}</c>.</summary>
    [Put("/api/integrations/{id}")]
    Task<GorgiasIntegration> UpdateIntegrationAsync(long id, [Body] GorgiasIntegration integration, CancellationToken cancellationToken);

    /// <summary><c>DELETE /api/integrations/{id}</c>.</summary>
    [Delete("/api/integrations/{id}")]
    Task DeleteIntegrationAsync(long id, CancellationToken cancellationToken);
}

using System.Runtime.CompilerServices;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>How a paged listing asks Gorgias: page size and order (resource filters are the methods' own parameters).</summary>
public sealed record GorgiasPageOptions
{
    /// <summary>The most items Gorgias accepts per page.</summary>
    public const int MaxLimit = 100;

    /// <summary>Items per request, 1–100; the default 100 takes the fewest requests from the account's budget.</summary>
    public int Limit { get; init; } = MaxLimit;

    /// <summary>E.g. <c>created_datetime:desc</c>; null leaves Gorgias's default order.</summary>
    public string? OrderBy { get; init; }

    /// <summary>The cursor to start from (a page's <see cref="GorgiasList{T}.NextCursor"/>); null starts at the beginning.</summary>
    public string? Cursor { get; init; }

    internal int CheckedLimit => Limit is >= 1 and <= MaxLimit
        ? Limit
        : throw new ArgumentOutOfRangeException(nameof(Limit), Limit, "Gorgias pages hold 1 to 100 items.");
}

/// <summary>
/// Every item of a Gorgias list as <see cref="IAsyncEnumerable{T}"/>: one request per page, following
/// <c>meta.next_cursor</c> until it is null. A page is asked for only when the previous one has been consumed, so
/// breaking out early spends no more of the account's budget; cancellation stops between and during requests.
/// </summary>
public static class GorgiasPaging
{
    /// <summary>Every item that <paramref name="fetchPage"/> returns, page after page (a cursor in, a page out).</summary>
    public static async IAsyncEnumerable<T> EnumerateAsync<T>(
        Func<string?, CancellationToken, Task<GorgiasList<T>>> fetchPage,
        string? cursor = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fetchPage);
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await fetchPage(cursor, cancellationToken);
            var data = page.Data;
            for (var i = 0; i < data.Count; i++)
            {
                yield return data[i];
            }

            var next = page.NextCursor;

            // A server that hands back the cursor it was given would loop forever.
            if (next is not null && string.Equals(next, cursor, StringComparison.Ordinal))
            {
                throw new InvalidOperationException("Gorgias answered a page whose next cursor is the one asked for; paging stopped.");
            }

            cursor = next;
        }
        while (cursor is not null);
    }

    /// <summary>Every ticket, optionally of one customer or view.</summary>
    public static IAsyncEnumerable<GorgiasTicket> EnumerateTicketsAsync(this IGorgiasTicketsApi api, GorgiasPageOptions? options = null,
        long? customerId = null, long? viewId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        var o = options ?? new GorgiasPageOptions();
        var limit = o.CheckedLimit;
        return EnumerateAsync((cursor, ct) => api.ListTicketsAsync(limit, cursor, o.OrderBy, customerId, viewId, ct), o.Cursor, cancellationToken);
    }

    /// <summary>Every message of ticket <paramref name="ticketId"/>.</summary>
    public static IAsyncEnumerable<GorgiasTicketMessage> EnumerateTicketMessagesAsync(this IGorgiasTicketsApi api, long ticketId,
        GorgiasPageOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        var o = options ?? new GorgiasPageOptions();
        var limit = o.CheckedLimit;
        return EnumerateAsync((cursor, ct) => api.ListTicketMessagesAsync(ticketId, limit, cursor, o.OrderBy, ct), o.Cursor, cancellationToken);
    }

    /// <summary>Every customer, optionally those with one email.</summary>
    public static IAsyncEnumerable<GorgiasCustomer> EnumerateCustomersAsync(this IGorgiasCustomersApi api, GorgiasPageOptions? options = null,
        string? email = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        var o = options ?? new GorgiasPageOptions();
        var limit = o.CheckedLimit;
        return EnumerateAsync((cursor, ct) => api.ListCustomersAsync(limit, cursor, o.OrderBy, email, ct), o.Cursor, cancellationToken);
    }

    /// <summary>Every user of the helpdesk.</summary>
    public static IAsyncEnumerable<GorgiasUser> EnumerateUsersAsync(this IGorgiasUsersAndEventsApi api, GorgiasPageOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        var o = options ?? new GorgiasPageOptions();
        var limit = o.CheckedLimit;
        return EnumerateAsync((cursor, ct) => api.ListUsersAsync(limit, cursor, o.OrderBy, ct), o.Cursor, cancellationToken);
    }

    /// <summary>Every event, optionally of one object type (e.g. <c>Ticket</c>).</summary>
    public static IAsyncEnumerable<GorgiasEvent> EnumerateEventsAsync(this IGorgiasUsersAndEventsApi api, GorgiasPageOptions? options = null,
        string? objectType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        var o = options ?? new GorgiasPageOptions();
        var limit = o.CheckedLimit;
        return EnumerateAsync((cursor, ct) => api.ListEventsAsync(limit, cursor, o.OrderBy, objectType, ct), o.Cursor, cancellationToken);
    }

    /// <summary>Every integration.</summary>
    public static IAsyncEnumerable<GorgiasIntegration> EnumerateIntegrationsAsync(this IGorgiasIntegrationsApi api, GorgiasPageOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        var o = options ?? new GorgiasPageOptions();
        var limit = o.CheckedLimit;
        return EnumerateAsync((cursor, ct) => api.ListIntegrationsAsync(limit, cursor, o.OrderBy, ct), o.Cursor, cancellationToken);
    }
}

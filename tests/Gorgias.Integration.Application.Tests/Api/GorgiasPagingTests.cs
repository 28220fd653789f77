using Gorgias.Integration.Infrastructure.Gorgias.Api;
using Gorgias.Integration.Testing;
using static Gorgias.Integration.Application.Tests.Api.ScriptedApiHarness;

namespace Gorgias.Integration.Application.Tests.Api;

/// <summary>Cursor paging as <see cref="IAsyncEnumerable{T}"/> and the one-page call, against the scriptable fake.</summary>
public sealed class GorgiasPagingTests
{
    private static IEnumerable<string> Tickets(int from, int to) =>
        Enumerable.Range(from, to - from + 1).Select(id => $$$"""{"id":{{{id}}},"subject":"T{{{id}}}","created_datetime":"2026-01-01T10:00:00","future_member":{"kept":true}}""");

    [Fact]
    public async Task EnumerateTickets_FollowsNextCursorAcrossPagesToTheEnd_SendingTheCursorLimitAndOrder()
    {
        await using var harness = await StartAsync();
        harness.Gorgias.On("GET", "/api/tickets",
            ScriptedAnswer.Page(Tickets(1, 2), "c2"), ScriptedAnswer.Page(Tickets(3, 4), "c3"), ScriptedAnswer.Page(Tickets(5, 5), null));

        var tickets = await harness.Api.EnumerateTicketsAsync(new GorgiasPageOptions { Limit = 2, OrderBy = "created_datetime:desc" }).ToListAsync();

        Assert.Equal([1L, 2, 3, 4, 5], tickets.Select(t => t.Id!.Value));
        Assert.True(tickets[0].Extra!.ContainsKey("future_member"));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero), tickets[0].CreatedDatetime);
        var queries = harness.Gorgias.Requests.Select(r => r.Query).ToList();
        Assert.Equal(3, queries.Count);
        Assert.All(queries, q => Assert.Contains("limit=2", q, StringComparison.Ordinal));
        Assert.All(queries, q => Assert.Contains("order_by=created_datetime%3Adesc", q, StringComparison.Ordinal));
        Assert.DoesNotContain("cursor", queries[0], StringComparison.Ordinal);
        Assert.Contains("cursor=c2", queries[1], StringComparison.Ordinal);
        Assert.Contains("cursor=c3", queries[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnumerateTickets_OnAnEmptyList_YieldsNothingAfterOneRequest()
    {
        await using var harness = await StartAsync();
        harness.Gorgias.On("GET", "/api/tickets", ScriptedAnswer.Page([], null));

        var tickets = await harness.Api.EnumerateTicketsAsync().ToListAsync();

        Assert.Empty(tickets);
        Assert.Equal(1, harness.Gorgias.ApiRequests);
    }

    [Fact]
    public async Task EnumerateTickets_StartingFromACursorMidway_ReadsOnlyTheRemainingPages()
    {
        await using var harness = await StartAsync();
        harness.Gorgias.On("GET", "/api/tickets", ScriptedAnswer.Page(Tickets(51, 60), "c3"), ScriptedAnswer.Page(Tickets(61, 62), null));

        var tickets = await harness.Api.EnumerateTicketsAsync(new GorgiasPageOptions { Limit = 10, Cursor = "c2" }).ToListAsync();

        Assert.Equal(12, tickets.Count);
        Assert.Equal(51, tickets[0].Id);
        Assert.Contains("cursor=c2", harness.Gorgias.Requests[0].Query, StringComparison.Ordinal);
        Assert.Equal(2, harness.Gorgias.ApiRequests);
    }

    [Fact]
    public async Task EnumerateTickets_WhenTheCallerStopsEarly_AsksForNoFurtherPage()
    {
        await using var harness = await StartAsync();
        harness.Gorgias.On("GET", "/api/tickets", ScriptedAnswer.Page(Tickets(1, 3), "c2"), ScriptedAnswer.Page(Tickets(4, 6), null));

        var first = await harness.Api.EnumerateTicketsAsync().Take(2).ToListAsync();

        Assert.Equal(2, first.Count);
        Assert.Equal(1, harness.Gorgias.ApiRequests);
    }

    [Fact]
    public async Task EnumerateTickets_WhenCancelledBetweenPages_StopsWithoutAnotherRequest()
    {
        await using var harness = await StartAsync();
        harness.Gorgias.On("GET", "/api/tickets", ScriptedAnswer.Page(Tickets(1, 1), "c2"), ScriptedAnswer.Page(Tickets(2, 2), null));
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var ticket in harness.Api.EnumerateTicketsAsync(cancellationToken: cancel.Token))
            {
                Assert.Equal(1, ticket.Id);
                await cancel.CancelAsync();
            }
        });
        Assert.Equal(1, harness.Gorgias.ApiRequests);
    }

    [Fact]
    public async Task EnumerateTickets_WhenGorgiasRepeatsTheCursorItWasGiven_StopsInsteadOfLooping()
    {
        await using var harness = await StartAsync();
        harness.Gorgias.On("GET", "/api/tickets", ScriptedAnswer.Page(Tickets(1, 1), "same"));

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await harness.Api.EnumerateTicketsAsync(new GorgiasPageOptions { Cursor = "same" }).ToListAsync());
        Assert.Equal(1, harness.Gorgias.ApiRequests);
    }

    [Fact]
    public async Task ListTickets_OnePage_ReturnsTheNextCursorForThoseWhoPageThemselves()
    {
        await using var harness = await StartAsync();
        harness.Gorgias.On("GET", "/api/tickets", ScriptedAnswer.Page(Tickets(1, 2), "next-one"));

        var page = await harness.Api.ListTicketsAsync(2, null, null, customerId: 7, viewId: null, CancellationToken.None);

        Assert.Equal("next-one", page.NextCursor);
        Assert.Equal(2, page.Data.Count);
        Assert.Contains("customer_id=7", harness.Gorgias.Requests[0].Query, StringComparison.Ordinal);
        Assert.DoesNotContain("view_id", harness.Gorgias.Requests[0].Query, StringComparison.Ordinal);
    }

    [Fact]
    public void PageOptions_WithALimitOver100_AreRefusedBeforeAnyRequest()
    {
        var api = (IGorgiasTicketsApi)null!;
        Assert.Throws<ArgumentNullException>(() => api.EnumerateTicketsAsync());
        Assert.Throws<ArgumentOutOfRangeException>(() => new GorgiasPageOptions { Limit = 101 }.CheckedLimit);
    }
}

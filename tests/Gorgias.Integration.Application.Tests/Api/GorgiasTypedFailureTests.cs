using System.Net;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Tokens;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Gorgias.Api;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.DependencyInjection;
using Refit;
using static Gorgias.Integration.Application.Tests.Api.ScriptedApiHarness;

namespace Gorgias.Integration.Application.Tests.Api;

/// <summary>Each HTTP error becomes a <see cref="GorgiasApiException"/> a host can switch on; no body reaches the logs.</summary>
public sealed class GorgiasTypedFailureTests
{
    private const string Secret = "customer-secret-in-body";

    public static TheoryData<int, GorgiasApiErrorKind> Statuses => new()
    {
        { 400, GorgiasApiErrorKind.BadRequest },
        { 403, GorgiasApiErrorKind.Forbidden },
        { 404, GorgiasApiErrorKind.NotFound },
        { 409, GorgiasApiErrorKind.Conflict },
        { 413, GorgiasApiErrorKind.TooLarge },
        { 429, GorgiasApiErrorKind.RateLimited },
        { 503, GorgiasApiErrorKind.Unavailable },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public async Task CreateCustomer_OnAnErrorStatus_ThrowsItsKindWithGorgiasErrorTextAndLogsNoBody(int status, GorgiasApiErrorKind kind)
    {
        await using var harness = await StartAsync();
        harness.Gorgias.On("POST", "/api/customers",
            ScriptedAnswer.Json(status, $$"""{"error":"Gorgias says {{status}}","detail":"{{Secret}}"}""", ("Retry-After", "120")));

        var failure = await Assert.ThrowsAsync<GorgiasApiException>(
            () => harness.Api.CreateCustomerAsync(new GorgiasCustomer { Email = "a@b.example" }, CancellationToken.None));

        Assert.Equal(kind, failure.Kind);
        Assert.Equal((HttpStatusCode)status, failure.StatusCode);
        Assert.Equal($"Gorgias says {status}", failure.GorgiasError);
        Assert.IsAssignableFrom<ApiException>(failure);
        Assert.Null(failure.Content);
        Assert.DoesNotContain(Secret, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Logs, line => line.Contains(Secret, StringComparison.Ordinal));
        Assert.Equal(1, harness.Gorgias.ApiRequests);
    }

    [Fact]
    public async Task GetTicket_On503WithALongRetryAfter_IsUnavailableWithTheWait()
    {
        await using var harness = await StartAsync();
        harness.Gorgias.On("GET", "/api/tickets/5", ScriptedAnswer.Json(503, """{"error":"down"}""", ("Retry-After", "300")));

        var failure = await Assert.ThrowsAsync<GorgiasApiException>(() => harness.Api.GetTicketAsync(5, CancellationToken.None));

        Assert.Equal(GorgiasApiErrorKind.Unavailable, failure.Kind);
        Assert.Equal(TimeSpan.FromSeconds(300), failure.RetryAfter);
    }

    [Fact]
    public async Task GetTicket_WhenThe401RefreshIsRefused_ThrowsAccessLostReauthorizationRequired()
    {
        await using var harness = await StartAsync();
        harness.Gorgias.On("GET", "/api/tickets/5", ScriptedAnswer.Json(401, """{"error":"Unauthorized"}"""));
        harness.Gorgias.On("POST", "/oauth/token", ScriptedAnswer.Json(400, """{"error":"invalid_grant"}"""));

        var failure = await Assert.ThrowsAsync<GorgiasAccessException>(() => harness.Api.GetTicketAsync(5, CancellationToken.None));

        Assert.Equal(ErrorKind.ReauthorizationRequired, failure.Error.Kind);
        Assert.Equal(1, harness.Gorgias.ApiRequests);
    }

    [Fact]
    public async Task DeleteTicket_OnAnAccountThatIsNotInstalled_ThrowsAccessLostWithoutARequest()
    {
        await using var harness = await StartAsync();

        var failure = await Assert.ThrowsAsync<GorgiasAccessException>(
            () => harness.Services.GetRequiredService<IGorgiasApiFactory>().For(AccountName.Parse("globex")).DeleteTicketAsync(1, CancellationToken.None));

        Assert.Equal(ErrorKind.NotFound, failure.Error.Kind);
        Assert.Equal(0, harness.Gorgias.ApiRequests);
    }

    [Fact]
    public async Task UpdateTicket_SendsOnlyTheMembersThatAreSetAndKeepsUnknownOnes()
    {
        await using var harness = await StartAsync();
        harness.Gorgias.On("PUT", "/api/tickets/9", ScriptedAnswer.Json(200, """{"id":9,"status":"closed","spam":false}"""));
        var ticket = new GorgiasTicket { Status = "closed", Extra = new() { ["priority"] = System.Text.Json.JsonDocument.Parse("\"high\"").RootElement } };

        var updated = await harness.Api.UpdateTicketAsync(9, ticket, CancellationToken.None);

        Assert.Equal("""{"status":"closed","priority":"high"}""", harness.Gorgias.Requests[0].Body);
        Assert.Equal("closed", updated.Status);
        Assert.True(updated.Extra!.ContainsKey("spam"));
    }
}

using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Gorgias.Integration.Application.Tests.Api.ApiHarness;

namespace Gorgias.Integration.Application.Tests.Api;

/// <summary>Every way Gorgias can fail becomes a typed error, once, and never a hang (SECURITY.md row 38).</summary>
public sealed class GorgiasApiFailureTests
{
    [Theory]
    [InlineData(500, ErrorKind.GorgiasUnavailable, "gorgias_unavailable")]
    [InlineData(502, ErrorKind.GorgiasUnavailable, "gorgias_unavailable")]
    [InlineData(403, ErrorKind.GorgiasError, "gorgias_api_forbidden")]
    [InlineData(404, ErrorKind.NotFound, "gorgias_api_not_found")]
    [InlineData(400, ErrorKind.GorgiasError, "gorgias_api_error")]
    public async Task GetAccount_WhenGorgiasAnswersAnErrorStatus_ReturnsATypedErrorAfterOneRequest(int status, ErrorKind kind, string code)
    {
        await using var harness = await StartAsync(_ => ScriptedAnswer.Json(status, """{"error":"nope"}"""));

        var result = await harness.Client.GetAccountAsync(Acme, CancellationToken.None);

        Assert.Equal(kind, result.Error?.Kind);
        Assert.Equal(code, result.Error?.Code);
        Assert.Equal(1, harness.Gorgias.ApiRequests);
        Assert.Equal(0, harness.Tokens.Refreshes);
    }

    [Fact]
    public async Task GetAccount_WhenGorgiasDoesNotAnswerWithinHttpTimeout_ReturnsUnavailable()
    {
        var timeout = TimeSpan.FromMilliseconds(300);
        await using var harness = await StartAsync(
            _ => ScriptedAnswer.Held(200),
            new Dictionary<string, string?> { ["Gorgias:HttpTimeout"] = "00:00:00.300" });

        // The attempt's timeout starts before the request is sent, so once the fake holds it, moving the clock ends it.
        var call = harness.Client.GetAccountAsync(Acme, CancellationToken.None);
        await harness.Gorgias.WaitForRequestsAsync(1);
        harness.Time.Advance(timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(call.IsCompleted);
        harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await call;

        Assert.Equal(ErrorKind.GorgiasUnavailable, result.Error?.Kind);
        Assert.Equal("gorgias_timeout", result.Error?.Code);
        Assert.Equal(1, harness.Gorgias.ApiRequests);
    }

    [Fact]
    public async Task GetAccount_WhenGorgiasDropsTheConnection_ReturnsUnavailable()
    {
        await using var harness = await StartAsync(static _ => ScriptedAnswer.Dropped);

        var result = await harness.Client.GetAccountAsync(Acme, CancellationToken.None);

        Assert.Equal(ErrorKind.GorgiasUnavailable, result.Error?.Kind);
        Assert.Equal("gorgias_unreachable", result.Error?.Code);
        Assert.Equal(1, harness.Gorgias.ApiRequests);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetAccount_WhenTheBodyIsLargerThanTheBound_ReturnsInvalidResponse(bool declareLength)
    {
        const int size = 2 * 1024 * 1024;
        await using var harness = await StartAsync(_ => new ScriptedAnswer(200) { Padding = size, ContentLength = declareLength ? size : null });

        var result = await harness.Client.GetAccountAsync(Acme, CancellationToken.None);

        Assert.Equal(ErrorKind.GorgiasError, result.Error?.Kind);
        Assert.Equal("gorgias_invalid_response", result.Error?.Code);
        Assert.Equal(1, harness.Gorgias.ApiRequests);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"domain":""}""")]
    [InlineData("""{"domain":"acme","created_datetime":"yesterday"}""")]
    [InlineData("[]")]
    public async Task GetAccount_WhenTheBodyIsMalformed_ReturnsInvalidResponse(string body)
    {
        await using var harness = await StartAsync(_ => ScriptedAnswer.Json(200, body));

        var result = await harness.Client.GetAccountAsync(Acme, CancellationToken.None);

        Assert.Equal(ErrorKind.GorgiasError, result.Error?.Kind);
        Assert.Equal("gorgias_invalid_response", result.Error?.Code);
    }

    [Fact]
    public async Task GetAccount_WhenGorgiasRedirects_DoesNotFollowWithTheToken()
    {
        await using var harness = await StartAsync(static _ => ScriptedAnswer.Empty(302, ("Location", "http://127.0.0.1:9/steal")));

        var result = await harness.Client.GetAccountAsync(Acme, CancellationToken.None);

        Assert.Equal(ErrorKind.GorgiasError, result.Error?.Kind);
        Assert.Equal(1, harness.Gorgias.ApiRequests);
    }

    [Fact]
    public async Task GetAccount_LogsNoTokenValue()
    {
        await using var harness = await StartAsync(static _ => ScriptedAnswer.Empty(401));

        await harness.Client.GetAccountAsync(Acme, CancellationToken.None);

        Assert.NotEmpty(harness.Logs);
        Assert.DoesNotContain(harness.Logs, line => line.Contains("access-acme", StringComparison.Ordinal) || line.Contains("fresh-acme", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetAccount_WhenTheHostAddsAStandardResilienceHandlerToEveryClient_StillSendsA500Once()
    {
        // A host registering defaults first (as Program.cs usually does) must not stack a second retry policy on this client.
        await using var harness = await StartAsync(
            static _ => ScriptedAnswer.Empty(500),
            configureServices: static services => services.ConfigureHttpClientDefaults(static b => b.AddStandardResilienceHandler()));

        // The wait is a guard against a stacked policy's backoff on the fake clock, not a timing assertion.
        var result = await harness.Client.GetAccountAsync(Acme, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ErrorKind.GorgiasUnavailable, result.Error?.Kind);
        Assert.Equal(1, harness.Gorgias.ApiRequests);
    }
}

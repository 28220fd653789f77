using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gorgias.Integration.Application.Tokens;
using Gorgias.Integration.Benchmarks.Support;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Gorgias.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Benchmarks;

/// <summary>
/// Paging through 10,000 tickets (100 pages of 100) from a Kestrel server at 127.0.0.1 that answers pre-built pages
/// with the rate-limit header: the typed client's <c>EnumerateTicketsAsync</c> (the whole pipeline: scope check, token,
/// resilience, local and server rate limit, bounded body, Refit, source-generated JSON) against a raw
/// <see cref="HttpClient"/> + <see cref="JsonSerializer"/> loop doing the same requests into the same models. Figures
/// are per ticket (OperationsPerInvoke). The local limiter is widened so the benchmark never waits for budget.
/// </summary>
[MemoryDiagnoser]
public class PagingBenchmarks
{
    private const int Pages = 100;
    private const int PageSize = 100;
    private static readonly AccountName Acme = AccountName.Parse("acme");

    private BenchStorage _storage = null!;
    private WebApplication _server = null!;
    private ServiceProvider _core = null!;
    private HttpClient _raw = null!;
    private Uri _address = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var pages = Enumerable.Range(0, Pages).Select(BuildPage).ToArray();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _server = builder.Build();
        _server.MapGet("/{account}/api/tickets", (HttpContext context) =>
        {
            var cursor = context.Request.Query["cursor"].ToString();
            var index = cursor.Length == 0 ? 0 : int.Parse(cursor.AsSpan(1), CultureInfo.InvariantCulture);
            context.Response.Headers["X-Gorgias-Account-Api-Call-Limit"] = "1/80";
            return Results.Bytes(pages[index], "application/json");
        });
        await _server.StartAsync();
        _address = new Uri(_server.Urls.First());

        _storage = new BenchStorage();
        _core = Composition.BuildCore(_storage, new FakeAuthorizationServer(TimeProvider.System), overrides: new Dictionary<string, string?>
        {
            ["Gorgias:BaseUrlTemplate"] = _address + "{account}",
            ["Gorgias:ApiRateLimit:PermitLimit"] = "10000",
            ["Gorgias:ApiRateLimit:Window"] = "00:00:01",
        }, configure: static s => s.Replace(ServiceDescriptor.Singleton<IGorgiasAccessTokenProvider, FixedTokenProvider>()));
#pragma warning disable CA2000 // the client owns the handler and is disposed in cleanup
        _raw = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(_address, "acme/") };
#pragma warning restore CA2000
        _raw.DefaultRequestHeaders.Authorization = new("Bearer", FixedTokenProvider.Token);
        Check(await TypedClient());
        Check(await RawHttpClient());
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _raw.Dispose();
        await _core.DisposeAsync();
        await _server.StopAsync();
        await _server.DisposeAsync();
        _storage.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Pages * PageSize)]
    public async Task<long> RawHttpClient()
    {
        long sum = 0;
        string? cursor = null;
        do
        {
            var uri = cursor is null ? "api/tickets?limit=100" : "api/tickets?limit=100&cursor=" + cursor;
            using var response = await _raw.GetAsync(new Uri(uri, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            var page = await JsonSerializer.DeserializeAsync(body, GorgiasApiJsonContext.Default.GorgiasListGorgiasTicket)
                ?? throw new InvalidOperationException("Empty page.");
            foreach (var ticket in page.Data)
            {
                sum += ticket.Id ?? 0;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Pages * PageSize)]
    public async Task<long> TypedClient()
    {
        long sum = 0;
        var api = _core.GetRequiredService<IGorgiasApiFactory>().For(Acme);
        await foreach (var ticket in api.EnumerateTicketsAsync())
        {
            sum += ticket.Id ?? 0;
        }

        return sum;
    }

    private static void Check(long sum)
    {
        const long expected = (long)Pages * PageSize * ((Pages * PageSize) + 1) / 2;
        if (sum != expected)
        {
            throw new InvalidOperationException($"Paging read ids summing to {sum}, not {expected}.");
        }
    }

    private static byte[] BuildPage(int index)
    {
        var json = new StringBuilder("{\"data\":[");
        for (var i = 0; i < PageSize; i++)
        {
            var id = (index * PageSize) + i + 1;
            json.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $$$"""{"id":{{{id}}},"status":"open","channel":"email","via":"email","subject":"Order {{{id}}} did not arrive","customer":{"id":{{{id % 50}}},"email":"c{{{id % 50}}}@acme.example","name":"Customer"},"created_datetime":"2026-01-01T10:00:00.000000","updated_datetime":"2026-01-02T10:00:00.000000","spam":false,"priority":"normal","tags":[{"name":"vip"}]}""");
        }

        var next = index + 1 < Pages ? $"\"p{index + 1}\"" : "null";
        json.Append("],\"object\":\"list\",\"uri\":\"/api/tickets\",\"meta\":{\"prev_cursor\":null,\"next_cursor\":").Append(next).Append("}}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    /// <summary>One constant token: the benchmark measures paging, not token storage (AccessTokenBenchmarks does).</summary>
    private sealed class FixedTokenProvider : IGorgiasAccessTokenProvider
    {
        public const string Token = "bench-access-token";

        private static readonly GorgiasAccessToken Value = new(Token, DateTimeOffset.MaxValue);

        public ValueTask<GorgiasAccessToken> GetAccessTokenAsync(AccountName account, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Value);

        public ValueTask<GorgiasAccessToken> RefreshAfterRejectionAsync(AccountName account, string rejectedAccessToken, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Value);
    }
}

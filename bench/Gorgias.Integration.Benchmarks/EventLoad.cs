using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Gorgias.Integration.Application;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Notifications;
using Gorgias.Integration.Domain.Inbox;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure;
using Gorgias.Integration.Infrastructure.Background;
using Gorgias.Integration.Storage.PostgreSql;
using Gorgias.Integration.Storage.Sqlite;
using Gorgias.Integration.Web;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Benchmarks;

/// <summary>
/// <c>--events [deliveries]</c>: a bounded loopback load on the events receiver. A real Kestrel on 127.0.0.1 runs the
/// receiver, the inbox and the dispatcher on SQLite (a temp file) and, when <c>GORGIAS_TEST_POSTGRES</c> is set, on
/// PostgreSQL; 16 concurrent senders post the deliveries (default 5,000, each a distinct event of one of 50 accounts).
/// Reports deliveries accepted per second (every answer a 200) and the delay from the send to the host's handler
/// (p50, p99, max), measured on one stopwatch.
/// </summary>
internal static class EventLoad
{
    private const int Senders = 16;
    private const int Accounts = 50;
    private const string Secret = "bench-only-event-secret-Qm4Zt8Lw2Xv6";

    public static async Task<int> RunAsync(int deliveries)
    {
        Console.WriteLine($"Events: {deliveries} deliveries over {Senders} loopback senders, {Accounts} accounts");
        Console.WriteLine($"{"storage",-10} {"accepted/s",10} {"handled",8} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"wall s",7}");
        var folder = Directory.CreateTempSubdirectory("gorgias-events-bench-").FullName;
        try
        {
            var failures = await RunOneAsync("SQLite", $"Data Source={Path.Combine(folder, "events.db")}", postgres: false, folder, deliveries);
            if (Environment.GetEnvironmentVariable("GORGIAS_TEST_POSTGRES") is { Length: > 0 } postgres)
            {
                var schema = "bench_" + Guid.NewGuid().ToString("N");
                failures += await RunOneAsync("PostgreSQL", postgres, postgres: true, folder, deliveries, schema);
            }

            return failures;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<int> RunOneAsync(string name, string connectionString, bool postgres, string folder, int deliveries, string? schema = null)
    {
        var clock = Stopwatch.StartNew();
        var handler = new Recorder(clock, deliveries);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["Gorgias:ClientId"] = "bench-client",
            ["Gorgias:ClientSecret"] = "bench-secret-not-real",
            ["Gorgias:RedirectUri"] = "http://127.0.0.1/oauth/callback",
            ["Gorgias:Events:Triggers"] = "ticket-created",
            ["Gorgias:Events:RateLimitPermits"] = "1000000",
            ["Integration:AdminApiKey"] = "bench-only-Jq7Xv2Lm9RtK4wZb8NcP3sYf6HdG",
            ["Integration:Schema"] = schema,
            ["ConnectionStrings:Integration"] = connectionString,
            ["DataProtection:KeysPath"] = Path.Combine(folder, "keys"),
        })
        {
            builder.Configuration[key] = value;
        }

        builder.Services.AddGorgiasApplication().AddGorgiasInfrastructure(builder.Configuration);
        _ = postgres ? builder.Services.AddGorgiasPostgreSqlStorage(builder.Configuration) : builder.Services.AddGorgiasSqliteStorage(builder.Configuration);
        builder.Services.AddGorgiasWeb(builder.Configuration).AddGorgiasBackgroundRefresh(builder.Configuration);
        builder.Services.AddSingleton<INotificationHandler<GorgiasEventReceived>>(handler);
        await using var app = builder.Build();
        app.MapGorgiasEndpoints(GorgiasAdminAccess.ApiKeyFromConfiguration);
        await app.StartAsync();
        var address = new Uri(app.Urls.First());

        var subscriptions = app.Services.GetRequiredService<IEventSubscriptionStore>();
        for (var a = 0; a < Accounts; a++)
        {
            var subscription = EventSubscription.Start(AccountName.Parse($"acct{a}"), DateTimeOffset.UtcNow) with { Secret = Secret };
            await subscriptions.SaveAsync(subscription, default);
        }

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Senders }) { BaseAddress = address };
        var next = -1;
        var refused = 0;
        var started = clock.Elapsed;
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < deliveries)
            {
                var body = $$"""{"event":"ticket-created","ticket_id":"{{i}}","sent_ticks":"{{clock.Elapsed.Ticks.ToString(CultureInfo.InvariantCulture)}}"}""";
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/events/acct{i % Accounts}")
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("X-Gorgias-Integration-Secret", Secret);
                using var response = await http.SendAsync(request);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref refused);
                }
            }
        })));
        var accepting = clock.Elapsed - started;
        var allHandled = await handler.AllHandled.Task.WaitAsync(TimeSpan.FromMinutes(5));
        var wall = clock.Elapsed - started;
        await app.StopAsync();

        var delays = handler.Delays.Order().ToArray();
        Console.WriteLine($"{name,-10} {(deliveries - refused) / accepting.TotalSeconds,10:F0} {delays.Length,8} {Percentile(delays, 0.50),8:F1} {Percentile(delays, 0.99),8:F1} {delays[^1],8:F1} {wall.TotalSeconds,7:F1}");
        return refused == 0 && allHandled && delays.Length == deliveries ? 0 : 1;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private sealed class Recorder(Stopwatch clock, int expected) : INotificationHandler<GorgiasEventReceived>
    {
        private int _handled;

        public ConcurrentBag<double> Delays { get; } = [];

        public TaskCompletionSource<bool> AllHandled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask Handle(GorgiasEventReceived notification, CancellationToken cancellationToken)
        {
            var sent = long.Parse(System.Text.Json.JsonDocument.Parse(notification.Payload).RootElement.GetProperty("sent_ticks").GetString()!, CultureInfo.InvariantCulture);
            Delays.Add(TimeSpan.FromTicks(clock.Elapsed.Ticks - sent).TotalMilliseconds);
            if (Interlocked.Increment(ref _handled) == expected)
            {
                AllHandled.TrySetResult(true);
            }

            return ValueTask.CompletedTask;
        }
    }
}

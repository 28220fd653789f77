using System.Diagnostics;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Benchmarks.Support;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Secrets;
using Gorgias.Integration.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Benchmarks;

internal static class Probe
{
    public static async Task<int> RunAsync()
    {
        using var storage = new BenchStorage();
        await using var core = Composition.BuildCore(storage, new FakeAuthorizationServer(TimeProvider.System));
        await Composition.InstallAsync(core, "acme");
        var protector = core.GetRequiredService<SecretProtector>();
        var db = core.GetRequiredService<SqliteDatabase>();
        var acme = AccountName.Parse("acme");
        var jwt = Jwt.Mint("acme", DateTimeOffset.UtcNow.AddHours(1));
        var blob = protector.Protect(SecretProtector.TokenSetPurpose, acme, "access_token", jwt);
        await Time("Protect", 20000, () => { protector.Protect(SecretProtector.TokenSetPurpose, acme, "access_token", jwt); return Task.CompletedTask; });
        await Time("Unprotect", 20000, () => { protector.Unprotect(SecretProtector.TokenSetPurpose, acme, "access_token", blob); return Task.CompletedTask; });
        var dp = core.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>();
        var cached = Microsoft.AspNetCore.DataProtection.DataProtectionCommonExtensions.CreateProtector(dp, SecretProtector.TokenSetPurpose, "acme", "access_token");
        var bytes = System.Text.Encoding.UTF8.GetBytes(jwt);
        await Time("cached protector Protect", 20000, () => { cached.Protect(bytes); return Task.CompletedTask; });
        await Time("OpenAsync+dispose", 20000, async () => { await using var c = await db.OpenAsync(CancellationToken.None); });
        await Time("raw pooled open+close", 20000, async () => { await using var c = new SqliteConnection(db.ConnectionString); await c.OpenAsync(); });
        var store = core.GetRequiredService<IAuthorizationRequestStore>();
        var states = core.GetRequiredService<IAuthorizationStateProtector>();
        var request = Gorgias.Integration.Domain.Authorization.AuthorizationRequest.Create(acme, NewValue(), NewValue(), NewValue(),
            "https://app.example.test/oauth/callback", NewValue(), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10));
        var state = states.Protect(request);
        await Time("state Protect", 20000, () => { states.Protect(request); return Task.CompletedTask; });
        await Time("state Unprotect", 20000, () => { states.Unprotect(state, acme, request.RedirectUri); return Task.CompletedTask; });
        await Time("TryConsume (new request)", 5000, async () => await store.TryConsumeAsync(
            Gorgias.Integration.Domain.Authorization.AuthorizationRequest.Create(acme, NewValue(), "n", null, request.RedirectUri, "b",
                DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10)), CancellationToken.None));
        var inst = core.GetRequiredService<IInstallationRepository>();
        await Time("installations.Find", 5000, async () => await inst.FindAsync(acme, CancellationToken.None));
        await using (var c = new SqliteConnection(db.ConnectionString))
        {
            await c.OpenAsync();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA busy_timeout = 1234;";
            cmd.ExecuteNonQuery();
        }

        await using (var c = new SqliteConnection(db.ConnectionString))
        {
            await c.OpenAsync();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA busy_timeout;";
            Console.WriteLine($"busy_timeout after pool round trip: {cmd.ExecuteScalar()}");
        }

        var (host, address) = await Composition.StartHostAsync(storage, new FakeAuthorizationServer(TimeProvider.System));
        await using (host)
        {
            using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
            var uri = new Uri(address, "/oauth/install?account=acme");
            var samples = new double[3000];
            for (var i = -300; i < samples.Length; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(uri);
                if (i >= 0)
                {
                    samples[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                }
            }

            Console.WriteLine($"HTTP /oauth/install mean {samples.Average():F0} µs");
            Array.Sort(samples);
            Console.WriteLine($"HTTP /oauth/install p50 {samples[1500]:F0} p90 {samples[2700]:F0} p99 {samples[2970]:F0} max {samples[^1]:F0} µs");
            await host.StopAsync();
        }

        return 0;
    }

    private static string NewValue() => System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private static async Task Time(string name, int n, Func<Task> op)
    {
        for (var i = 0; i < 200; i++)
        {
            await op();
        }

        var alloc = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            await op();
        }

        Console.WriteLine($"{name,-28} {sw.Elapsed.TotalMicroseconds / n,8:F2} µs  {(GC.GetAllocatedBytesForCurrentThread() - alloc) / n,6} B");
    }
}

using System.Web;
using Gorgias.Integration.Application.Installations.BeginInstall;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Gorgias.Integration.Application.Tests;

/// <summary>
/// SECURITY.md row 37 through the core: an install start stores nothing (its request travels in the state), so a flood
/// of starts cannot fill the database; only a completed callback records one used request, purged after expiry.
/// </summary>
public sealed class InstallStartStorageTests
{
    [Fact]
    public async Task Row37_AFloodOfInstallStarts_StoresNothing_AndEachGetsItsOwnState()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        using var storage = new SharedStorage();
        await using var core = IntegrationCore.Create(sandbox, storage, time);
        await core.InstallAsync("acme"); // the schema exists and one used request is recorded
        var before = await storage.ScalarAsync<long>("SELECT COUNT(*) FROM used_authorization_requests");

        var states = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 500; i++)
        {
            var started = await core.SendAsync(new BeginInstallCommand($"flood{i % 7}", $"browser-{i}"));
            Assert.True(states.Add(HttpUtility.ParseQueryString(started.Value!.AuthorizeUri.Query)["state"]!));
        }

        Assert.Equal(1, before);
        Assert.Equal(before, await storage.ScalarAsync<long>("SELECT COUNT(*) FROM used_authorization_requests"));
        Assert.Equal(1, await storage.ScalarAsync<long>("SELECT COUNT(*) FROM installations"));
        Assert.Equal(500, states.Count);
    }
}

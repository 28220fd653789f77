using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gorgias.Integration.Application.Tests;

/// <summary>The install use cases composed as a host app would, against the sandbox on loopback.</summary>
public sealed class InstallThroughCoreTests
{
    [Fact]
    public async Task Install_StoresAnActiveInstallationWithTokensThatExpireInADay()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        using var storage = new SharedStorage();
        await using var core = IntegrationCore.Create(sandbox, storage, time);

        var result = await core.InstallAsync("acme");

        Assert.Equal(time.GetUtcNow().AddHours(24), result.AccessTokenExpiresAt);
        var installation = await core.Services.GetRequiredService<IInstallationRepository>().FindAsync(AccountName.Parse("acme"), CancellationToken.None);
        Assert.Equal(InstallationStatus.Active, installation!.Status);
        var tokens = await core.Services.GetRequiredService<ITokenSetRepository>().FindAsync(AccountName.Parse("acme"), CancellationToken.None);
        Assert.Equal(result.AccessTokenExpiresAt, tokens!.ExpiresAt);
        Assert.Equal(1, sandbox.Monitor.TokenRequestsFor("authorization_code"));
    }
}

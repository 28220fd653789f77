using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Notifications;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Application.Tokens;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Testing;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using static Gorgias.Integration.Application.Tests.Tokens.TokenTestKit;

namespace Gorgias.Integration.Application.Tests.Tokens;

/// <summary>The token cache is dropped by one notification handler, not by the use cases that change an installation.</summary>
public sealed class CacheInvalidationTests
{
    [Theory]
    [InlineData("access_lost")]
    [InlineData("uninstalled")]
    [InlineData("completed")]
    public async Task AnInstallationNotification_DropsTheCachedTokens_SoTheNextCallReadsTheStore(string published)
    {
        var time = NewClock();
        await using var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, time);
        using var storage = new SharedStorage();
        await using var core = IntegrationCore.Create(sandbox, storage, time);
        await core.InstallAsync("acme");
        await core.AccessTokenAsync("acme");

        // Behind the cache's back: only a dropped entry lets the next call see that the account was uninstalled.
        await ExecuteRawAsync(storage, "DELETE FROM token_sets WHERE account = 'acme'; UPDATE installations SET status = 3, version = version + 1 WHERE account = 'acme';");
        INotification notification = published switch
        {
            "access_lost" => new AccessLostNotification(AccountName.Parse("acme"), "invalid_grant", time.GetUtcNow()),
            "uninstalled" => new InstallationUninstalledNotification(AccountName.Parse("acme"), time.GetUtcNow()),
            _ => new InstallationCompletedNotification(AccountName.Parse("acme"), ["offline"], true, time.GetUtcNow()),
        };
        await using (var scope = core.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IPublisher>().Publish(notification);
        }

        Assert.Equal(ErrorKind.ReauthorizationRequired, (await core.AccessFailsAsync("acme")).Error.Kind);
    }

    [Fact]
    public void NoInstallationUseCase_TakesTheTokenCache()
    {
        var takers = typeof(AccessTokenCache).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("Gorgias.Integration.Application.Installations", StringComparison.Ordinal) == true)
            .Where(t => t.GetConstructors(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)
                .Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(AccessTokenCache))))
            .Select(t => t.Name);

        Assert.Empty(takers);
    }
}

using System.Globalization;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Gorgias.Api;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Application.Tests.Api;

/// <summary>
/// One Retry-After rule on every path that reads a Gorgias answer: the token endpoint, the typed API client and the
/// Refit interfaces a host calls directly all believe Gorgias's wait, seconds or HTTP date, up to five minutes.
/// </summary>
public sealed class RetryAfterPolicyTests
{
    private static readonly AccountName Acme = AccountName.Parse("acme");

    [Theory]
    [InlineData("seconds", 120)]
    [InlineData("http-date", 90)]
    [InlineData("huge", 300)]
    public async Task RetryAfter_OfSecondsAnHttpDateOrAHugeValue_IsClampedTheSameOnTheTokenAndApiPaths(string kind, int expectedSeconds)
    {
        var time = new WatchedTimeProvider();
        var header = kind switch
        {
            "seconds" => "120",
            "http-date" => time.GetUtcNow().AddSeconds(90).ToString("R", CultureInfo.InvariantCulture),
            _ => "86400",
        };
        var unavailable = ScriptedAnswer.Json(503, """{"error":"Service Unavailable"}""", ("Retry-After", header));
        await using var gorgias = await ScriptableGorgias.StartAsync();
        gorgias.On("POST", "/oauth/token", unavailable).On("GET", "/api/account", unavailable);
        using var storage = new SharedStorage();
        await using var services = IntegrationCore.BuildServices(gorgias.BaseUrlTemplate, storage, time, after: SandboxTokenProvider.Register);
        services.GetRequiredService<SandboxTokenProvider>().Seed(Acme, "access-acme", "refresh-acme");
        var expected = TimeSpan.FromSeconds(expectedSeconds);

        var token = await services.GetRequiredService<IGorgiasAuthorizationServer>().RefreshAsync(Acme, "refresh-acme", CancellationToken.None);
        var api = await services.GetRequiredService<IGorgiasApiClient>().GetAccountAsync(Acme, CancellationToken.None);
        var refit = await Assert.ThrowsAsync<GorgiasApiException>(
            () => services.GetRequiredService<IGorgiasApiFactory>().For(Acme).GetAccountAsync(CancellationToken.None));

        Assert.Equal(expected, token.RetryAfter);
        Assert.Equal(expected, api.Error?.RetryAfter);
        Assert.Equal(expected, refit.RetryAfter);
    }
}

using Gorgias.Integration.Application;
using Gorgias.Integration.Infrastructure.Background;
using Gorgias.Integration.Web.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Web.Tests;

/// <summary>Options are checked one way: a validator per options class that names every bad key, run at start-up.</summary>
public sealed class OptionsValidationTests
{
    [Fact]
    public void HostStart_WithBadWebAndBackgroundKeys_ListsEachKeyInItsOneMessage()
    {
        using var host = new IntegrationHost(new Dictionary<string, string?>
        {
            ["Integration:InstallRateLimit:PermitLimit"] = "0",
            ["Integration:InstallRateLimit:KnownProxies:0"] = "10.0.0.5",
            ["Integration:InstallRateLimit:KnownProxies:1"] = "proxy.internal",
            ["Integration:BackgroundRefresh:Interval"] = "00:00:00",
            ["Integration:BackgroundRefresh:BatchSize"] = "0",
        });

        var error = Assert.Throws<InvalidOperationException>(() => host.CreateClient());

        Assert.StartsWith("The Host's configuration is invalid:", error.Message, StringComparison.Ordinal);
        Assert.Contains("Integration:InstallRateLimit:PermitLimit must be positive", error.Message, StringComparison.Ordinal);
        Assert.Contains("Integration:InstallRateLimit:KnownProxies:1 is not an IP address", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("KnownProxies:0", error.Message, StringComparison.Ordinal);
        Assert.Contains("Integration:BackgroundRefresh:Interval must be between", error.Message, StringComparison.Ordinal);
        Assert.Contains("Integration:BackgroundRefresh:BatchSize must be between", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmbeddedRegistration_WithBadKeys_FailsAtStartNamingEveryKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Integration:InstallRateLimit:Window"] = "2.00:00:00",
            ["Integration:InstallRateLimit:KnownProxies:0"] = "not-an-ip",
            ["Integration:BackgroundRefresh:MaxParallelism"] = "0",
        }).Build();
        var services = new ServiceCollection();
        services.AddGorgiasWeb(configuration);
        services.AddGorgiasApplication();
        services.AddGorgiasBackgroundRefresh(configuration);
        using var provider = services.BuildServiceProvider();

        var web = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GorgiasWebOptions>>().Value);
        var background = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<BackgroundRefreshOptions>>().Value);

        Assert.Equal(
            ["Integration:InstallRateLimit:Window must be positive and at most 1.00:00:00.",
             "Integration:InstallRateLimit:KnownProxies:0 is not an IP address: give each proxy's address, such as 10.0.0.5."],
            web.Failures);
        Assert.Equal(["Integration:BackgroundRefresh:MaxParallelism must be between 1 and 64."], background.Failures);
        Assert.Contains(provider.GetServices<IValidateOptions<GorgiasWebOptions>>(), v => v is GorgiasWebOptionsValidator);
    }
}

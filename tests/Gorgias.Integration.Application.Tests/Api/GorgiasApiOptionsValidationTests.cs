using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Infrastructure.Gorgias.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Application.Tests.Api;

/// <summary>The API client's options go through the one options validation: every bad key named, nothing summarised.</summary>
public sealed class GorgiasApiOptionsValidationTests
{
    [Fact]
    public void ApiRetryOptions_WithABadKey_FailNamingExactlyThatKey()
    {
        using var storage = new SharedStorage();
        using var services = IntegrationCore.BuildServices("http://127.0.0.1:9/{account}", storage, TimeProvider.System,
            new Dictionary<string, string?> { ["Gorgias:ApiRetry:MaxRetries"] = "9" });

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<GorgiasApiRetryOptions>>().Value);

        Assert.Equal(["Gorgias:ApiRetry:MaxRetries must be between 0 and 5."], failure.Failures);
    }

    [Fact]
    public void ApiRateLimitOptions_WithTwoBadKeys_FailNamingBoth()
    {
        using var storage = new SharedStorage();
        using var services = IntegrationCore.BuildServices("http://127.0.0.1:9/{account}", storage, TimeProvider.System,
            new Dictionary<string, string?> { ["Gorgias:ApiRateLimit:PermitLimit"] = "0", ["Gorgias:ApiRateLimit:QueueLimit"] = "-1" });

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<GorgiasApiRateLimitOptions>>().Value);

        Assert.Equal(
            ["Gorgias:ApiRateLimit:PermitLimit must be between 1 and 10000.", "Gorgias:ApiRateLimit:QueueLimit must be between 0 and 10000."],
            failure.Failures);
    }

    [Fact]
    public void ApiRetryOptions_WithABadKey_FailTheStartupValidation()
    {
        using var storage = new SharedStorage();
        using var services = IntegrationCore.BuildServices("http://127.0.0.1:9/{account}", storage, TimeProvider.System,
            new Dictionary<string, string?> { ["Gorgias:ApiRetry:MaxRetryAfter"] = "00:10:00" });

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Gorgias:ApiRetry:MaxRetryAfter must be between 00:00:00 and 00:02:00.", failure.Failures);
    }
}

using Gorgias.Integration.Application.Options;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>Checks <see cref="GorgiasApiRateLimitOptions"/> (section <c>Gorgias:ApiRateLimit</c>) at start-up, naming every bad key.</summary>
internal sealed class GorgiasApiRateLimitOptionsValidator : OptionsValidator<GorgiasApiRateLimitOptions>
{
    public override IReadOnlyList<string> FindProblems(GorgiasApiRateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.PermitLimit is < 1 or > 10_000)
        {
            errors.Add($"{GorgiasApiRateLimitOptions.SectionName}:PermitLimit must be between 1 and 10000.");
        }

        if (options.Window < TimeSpan.FromSeconds(1) || options.Window > TimeSpan.FromDays(1))
        {
            errors.Add($"{GorgiasApiRateLimitOptions.SectionName}:Window must be between 00:00:01 and 1.00:00:00.");
        }

        if (options.QueueLimit is < 0 or > 10_000)
        {
            errors.Add($"{GorgiasApiRateLimitOptions.SectionName}:QueueLimit must be between 0 and 10000.");
        }

        return errors;
    }
}

/// <summary>Checks <see cref="GorgiasApiRetryOptions"/> (section <c>Gorgias:ApiRetry</c>) at start-up, naming every bad key.</summary>
internal sealed class GorgiasApiRetryOptionsValidator : OptionsValidator<GorgiasApiRetryOptions>
{
    public override IReadOnlyList<string> FindProblems(GorgiasApiRetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.MaxRetries is < 0 or > 5)
        {
            errors.Add($"{GorgiasApiRetryOptions.SectionName}:MaxRetries must be between 0 and 5.");
        }

        if (options.MaxRetryAfter < TimeSpan.Zero || options.MaxRetryAfter > TimeSpan.FromMinutes(2))
        {
            errors.Add($"{GorgiasApiRetryOptions.SectionName}:MaxRetryAfter must be between 00:00:00 and 00:02:00.");
        }

        return errors;
    }
}

using Gorgias.Integration.Application.Options;

namespace Gorgias.Integration.Infrastructure.Background;

/// <summary>Checks <see cref="BackgroundRefreshOptions"/> (section <c>Integration:BackgroundRefresh</c>) at start-up, naming every bad key.</summary>
internal sealed class BackgroundRefreshOptionsValidator : OptionsValidator<BackgroundRefreshOptions>
{
    /// <inheritdoc />
    public override IReadOnlyList<string> FindProblems(BackgroundRefreshOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Interval < TimeSpan.FromSeconds(1) || options.Interval > TimeSpan.FromHours(1))
        {
            errors.Add($"{BackgroundRefreshOptions.SectionName}:Interval must be between 00:00:01 and 01:00:00.");
        }

        if (options.Window <= TimeSpan.Zero || options.Window > TimeSpan.FromHours(12))
        {
            errors.Add($"{BackgroundRefreshOptions.SectionName}:Window must be positive and at most 12:00:00.");
        }

        if (options.MaxParallelism is < 1 or > 64)
        {
            errors.Add($"{BackgroundRefreshOptions.SectionName}:MaxParallelism must be between 1 and 64.");
        }

        if (options.BatchSize is < 1 or > 10_000)
        {
            errors.Add($"{BackgroundRefreshOptions.SectionName}:BatchSize must be between 1 and 10000.");
        }

        if (options.MaxJitter < TimeSpan.Zero || options.MaxJitter > options.Interval)
        {
            errors.Add($"{BackgroundRefreshOptions.SectionName}:MaxJitter must be between 00:00:00 and the interval.");
        }

        return errors;
    }
}

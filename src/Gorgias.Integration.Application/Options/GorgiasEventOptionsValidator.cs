using Gorgias.Integration.Domain.Inbox;

namespace Gorgias.Integration.Application.Options;

/// <summary>Checks <see cref="GorgiasEventOptions"/> at start-up, every bad key named with its fix.</summary>
internal sealed class GorgiasEventOptionsValidator : OptionsValidator<GorgiasEventOptions>
{
    private const string Prefix = GorgiasEventOptions.SectionName + ":";

    /// <inheritdoc />
    public override IReadOnlyList<string> FindProblems(GorgiasEventOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        foreach (var trigger in options.TriggerList.Where(t => !InboxEvent.IsEventName(t)))
        {
            errors.Add($"{Prefix}Triggers names '{trigger}', which is no trigger: list Gorgias triggers separated by commas, e.g. ticket-created,ticket-message-created.");
        }

        if (!string.IsNullOrWhiteSpace(options.Url)
            && (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http")
                || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment) || !string.IsNullOrEmpty(url.UserInfo)))
        {
            errors.Add($"{Prefix}Url must be an absolute http(s) URL without query or fragment, e.g. https://app.example/events.");
        }

        if (string.IsNullOrWhiteSpace(options.IntegrationName) || options.IntegrationName.Length > 100)
        {
            errors.Add($"{Prefix}IntegrationName must be 1–100 characters.");
        }

        if (string.IsNullOrWhiteSpace(options.SecretHeader) || !options.SecretHeader.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            errors.Add($"{Prefix}SecretHeader must be a header name of letters, digits and '-', e.g. X-Gorgias-Integration-Secret.");
        }

        Check(errors, options.MaxBodyBytes is >= 1024 and <= 1024 * 1024, "MaxBodyBytes must be between 1024 and 1048576.");
        Check(errors, options.RateLimitPermits > 0 && options.RateLimitWindow > TimeSpan.Zero, "RateLimitPermits and RateLimitWindow must be positive.");
        Check(errors, options.MaxAttempts is >= 1 and <= 100, "MaxAttempts must be between 1 and 100.");
        Check(errors, options.FirstRetry > TimeSpan.Zero && options.MaxRetry >= options.FirstRetry && options.MaxRetry <= TimeSpan.FromDays(1),
            "FirstRetry must be positive and MaxRetry between FirstRetry and 1.00:00:00.");
        Check(errors, options.DispatchLease >= TimeSpan.FromSeconds(1) && options.DispatchLease <= TimeSpan.FromHours(1), "DispatchLease must be between 00:00:01 and 01:00:00.");
        Check(errors, options.BatchSize is >= 1 and <= 1_000, "BatchSize must be between 1 and 1000.");
        Check(errors, options.PollInterval > TimeSpan.Zero && options.PollInterval <= TimeSpan.FromMinutes(5), "PollInterval must be positive and at most 00:05:00.");
        Check(errors, options.HandledRetention >= TimeSpan.FromMinutes(1), "HandledRetention must be at least 00:01:00 (replays within it land once).");
        Check(errors, options.CheckInterval >= TimeSpan.FromMinutes(1), "CheckInterval must be at least 00:01:00.");
        return errors;
    }

    private static void Check(List<string> errors, bool holds, string problem)
    {
        if (!holds)
        {
            errors.Add(Prefix + problem);
        }
    }
}

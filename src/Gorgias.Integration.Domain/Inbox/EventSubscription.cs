using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Domain.Inbox;

/// <summary>
/// An account's subscription to Gorgias events: the HTTP integrations the app created there (one per trigger, since
/// Gorgias renders one fixed form per integration and names no trigger in it), the random secret they send in a header,
/// and whether the last attempt to create or check them worked. The secret is stored encrypted, and hashed for the
/// receiver's check.
/// </summary>
/// <param name="Account">The account.</param>
/// <param name="Secret">The secret each of the account's deliveries carries; never printed.</param>
/// <param name="IntegrationIds">Trigger → the id of the HTTP integration Gorgias gave it.</param>
/// <param name="Status">Whether the integrations are in place.</param>
/// <param name="LastError">Why the last attempt failed; null when it worked.</param>
/// <param name="Failures">Attempts that failed in a row.</param>
/// <param name="NextCheckAt">When the worker next checks (or retries) the integrations.</param>
/// <param name="UpdatedAt">When this record last changed.</param>
public sealed record EventSubscription(
    AccountName Account,
    string Secret,
    IReadOnlyDictionary<string, long> IntegrationIds,
    EventSubscriptionStatus Status,
    string? LastError,
    int Failures,
    DateTimeOffset NextCheckAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The random secret's length in bytes (256 bits), before base64url.</summary>
    public const int SecretBytes = 32;

    /// <summary>A new subscription with a fresh random secret, to be created at Gorgias now.</summary>
    public static EventSubscription Start(AccountName account, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(SecretBytes))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new EventSubscription(account, secret, new Dictionary<string, long>(StringComparer.Ordinal),
            EventSubscriptionStatus.Pending, null, 0, now, now);
    }

    /// <summary>The integrations are in place; the next check is one <paramref name="checkInterval"/> away.</summary>
    public EventSubscription Succeeded(IReadOnlyDictionary<string, long> integrationIds, DateTimeOffset now, TimeSpan checkInterval) =>
        this with
        {
            IntegrationIds = integrationIds,
            Status = EventSubscriptionStatus.Active,
            LastError = null,
            Failures = 0,
            NextCheckAt = now + checkInterval,
            UpdatedAt = now,
        };

    /// <summary>The attempt failed; it is retried after a backoff that doubles from <paramref name="firstRetry"/> up to <paramref name="maxRetry"/>.</summary>
    public EventSubscription Failed(IReadOnlyDictionary<string, long> integrationIds, string error, DateTimeOffset now, TimeSpan firstRetry, TimeSpan maxRetry)
    {
        ArgumentException.ThrowIfNullOrEmpty(error);
        var failures = Failures + 1;
        return this with
        {
            IntegrationIds = integrationIds,
            Status = EventSubscriptionStatus.Failing,
            LastError = error.Length <= InboxEvent.MaxErrorLength ? error : error[..InboxEvent.MaxErrorLength],
            Failures = failures,
            NextCheckAt = now + InboxEvent.Backoff(failures, firstRetry, maxRetry),
            UpdatedAt = now,
        };
    }

    /// <summary>Never prints the secret.</summary>
    public override string ToString() =>
        $"EventSubscription {{ Account = {Account}, Status = {Status}, Integrations = {IntegrationIds.Count}, Failures = {Failures}, NextCheckAt = {NextCheckAt:O} }}";
}

/// <summary>Whether an account's event integrations are in place at Gorgias.</summary>
public enum EventSubscriptionStatus
{
    /// <summary>Not created yet.</summary>
    Pending,

    /// <summary>Created (or checked) and active.</summary>
    Active,

    /// <summary>The last attempt to create or check them failed; the worker retries.</summary>
    Failing,
}

using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Inbox;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Installations;

/// <summary>What an admin may see of an installation: never a token.</summary>
/// <param name="Account">The Gorgias account.</param>
/// <param name="Status">Pending, Active, RefreshFailing, ReauthorizationRequired or Uninstalled.</param>
/// <param name="Scopes">Granted scopes.</param>
/// <param name="CreatedAt">When the first install started.</param>
/// <param name="UpdatedAt">When the status last changed.</param>
/// <param name="ActivatedAt">When the app was last authorized.</param>
/// <param name="AccessTokenExpiresAt">When the current access token expires (it renews itself), if the app holds one.</param>
public sealed record InstallationView(
    AccountName Account,
    InstallationStatus Status,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ActivatedAt,
    DateTimeOffset? AccessTokenExpiresAt)
{
    /// <summary>Refreshes that failed in a row since the last success (0 when healthy or without tokens).</summary>
    public int ConsecutiveRefreshFailures { get; init; }

    /// <summary>The last failed refresh's error code (e.g. <c>invalid_client</c>, <c>InvalidResponse</c>); null when healthy.</summary>
    public string? LastRefreshError { get; init; }

    /// <summary>When the background worker tries to refresh again after failures; null when it is not backing off.</summary>
    public DateTimeOffset? NextRefreshAttemptAt { get; init; }

    /// <summary>When the current access token was issued (the install or the last successful refresh); null without tokens.</summary>
    public DateTimeOffset? AccessTokenIssuedAt { get; init; }

    /// <summary>Whether the account's event integrations are in place at Gorgias; null when it has no event subscription.</summary>
    public EventSubscriptionStatus? Events { get; init; }

    /// <summary>Why the last attempt to put the event integrations in place failed; null when it worked.</summary>
    public string? EventsError { get; init; }

    /// <summary>When the worker next checks (or retries) the event integrations.</summary>
    public DateTimeOffset? EventsNextCheckAt { get; init; }

    internal static InstallationView From(Installation installation, RefreshHealth? health) => new(
        installation.Account, installation.Status, installation.Scopes, installation.CreatedAt,
        installation.UpdatedAt, installation.ActivatedAt, health?.AccessTokenExpiresAt)
    {
        ConsecutiveRefreshFailures = health?.ConsecutiveFailures ?? 0,
        LastRefreshError = health?.LastError,
        NextRefreshAttemptAt = health?.NextAttemptAt,
        AccessTokenIssuedAt = health?.AccessTokenIssuedAt,
    };
}

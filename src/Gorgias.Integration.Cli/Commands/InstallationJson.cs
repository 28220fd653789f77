using Gorgias.Integration.Application.Installations;

namespace Gorgias.Integration.Cli.Commands;

/// <summary>
/// The <c>--json</c> shape of one installation (README, "The command-line tool"). Every member is always present, null
/// when unknown; there is no token in it, by construction: <see cref="InstallationView"/> holds none.
/// </summary>
internal sealed record InstallationJson(
    string Account,
    string Status,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ActivatedAt,
    DateTimeOffset? AccessTokenExpiresAt,
    int ConsecutiveRefreshFailures,
    string? LastRefreshError,
    DateTimeOffset? NextRefreshAttemptAt)
{
    public static InstallationJson From(InstallationView view) => new(
        view.Account.Value, view.Status.ToString(), view.Scopes, view.CreatedAt, view.UpdatedAt, view.ActivatedAt,
        view.AccessTokenExpiresAt, view.ConsecutiveRefreshFailures, view.LastRefreshError, view.NextRefreshAttemptAt);
}

/// <summary>The <c>--json</c> shape of one refresh's outcome.</summary>
internal sealed record RefreshJson(string Account, bool Refreshed, DateTimeOffset? AccessTokenExpiresAt, ErrorJson? Error);

/// <summary>An expected failure in <c>--json</c> output: a stable code and a message safe to show.</summary>
internal sealed record ErrorJson(string Code, string Message);

using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Installations;

/// <summary>What an admin may see of an installation: never a token.</summary>
/// <param name="Account">The Gorgias account.</param>
/// <param name="Status">Pending, Active, ReauthorizationRequired or Uninstalled.</param>
/// <param name="Scopes">Granted scopes.</param>
/// <param name="CreatedAt">When the first install started.</param>
/// <param name="UpdatedAt">When the status last changed.</param>
/// <param name="ActivatedAt">When the app was last authorized.</param>
/// <param name="AccessTokenExpiresAt">When the current access token expires (it renews itself), if the app holds one.</param>
public sealed record InstallationView(
    string Account,
    InstallationStatus Status,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ActivatedAt,
    DateTimeOffset? AccessTokenExpiresAt)
{
    internal static InstallationView From(Installation installation, DateTimeOffset? accessTokenExpiresAt) => new(
        installation.Account.Value, installation.Status, installation.Scopes, installation.CreatedAt,
        installation.UpdatedAt, installation.ActivatedAt, accessTokenExpiresAt);
}

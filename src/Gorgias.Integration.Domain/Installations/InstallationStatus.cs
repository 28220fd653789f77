namespace Gorgias.Integration.Domain.Installations;

/// <summary>Where an installation stands in its life.</summary>
public enum InstallationStatus
{
    /// <summary>An install was started; no tokens yet.</summary>
    Pending = 0,

    /// <summary>Authorized: the app holds a refresh token and can call Gorgias.</summary>
    Active = 1,

    /// <summary>Gorgias refused the refresh token (the user uninstalled or revoked the app there): install again.</summary>
    ReauthorizationRequired = 2,

    /// <summary>The app was uninstalled; tokens were revoked or are queued for revocation.</summary>
    Uninstalled = 3,
}

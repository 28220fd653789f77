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

    /// <summary>
    /// Still authorized, but Gorgias has refused to renew the access token several times in a row for a reason other
    /// than a revoked grant (an error page, <c>invalid_client</c>, another OAuth error). The tokens are still served
    /// while valid and refreshes are still tried, further and further apart; the next success makes it Active again.
    /// </summary>
    RefreshFailing = 4,
}

using Gorgias.Integration.Domain.Common;
using Gorgias.Integration.Domain.Installations.Events;

namespace Gorgias.Integration.Domain.Installations;

/// <summary>
/// The app installed in one Gorgias account. Status moves
/// <c>Pending → Active → ReauthorizationRequired / Uninstalled</c>, <c>Active ⇄ RefreshFailing</c>, and an install
/// can be completed again from any state.
/// </summary>
public sealed class Installation : IHasDomainEvents
{
    private readonly List<IDomainEvent> _events = [];

    private Installation(AccountName account, InstallationStatus status, IReadOnlyList<string> scopes,
        DateTimeOffset createdAt, DateTimeOffset updatedAt, DateTimeOffset? activatedAt, long version)
    {
        Account = account;
        Status = status;
        Scopes = scopes;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
        ActivatedAt = activatedAt;
        Version = version;
    }

    /// <summary>The Gorgias account; the installation's identity.</summary>
    public AccountName Account { get; }

    /// <summary>Current status.</summary>
    public InstallationStatus Status { get; private set; }

    /// <summary>Scopes Gorgias granted at the last authorization (empty before the first).</summary>
    public IReadOnlyList<string> Scopes { get; private set; }

    /// <summary>When the first install started.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When the status or scopes last changed.</summary>
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>When the app was last authorized, if ever.</summary>
    public DateTimeOffset? ActivatedAt { get; private set; }

    /// <summary>The stored version this instance was loaded at (0 = never saved); used for optimistic concurrency.</summary>
    public long Version { get; }

    /// <inheritdoc />
    public IReadOnlyList<IDomainEvent> DomainEvents => _events;

    /// <summary>True when the app holds working tokens for the account (Active or RefreshFailing).</summary>
    public bool HoldsTokens => Status is InstallationStatus.Active or InstallationStatus.RefreshFailing;

    /// <summary>Starts a new installation, pending authorization.</summary>
    public static Installation Start(AccountName account, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new Installation(account, InstallationStatus.Pending, [], now, now, null, version: 0);
    }

    /// <summary>Rebuilds an installation from storage. Raises no events.</summary>
    internal static Installation Restore(AccountName account, InstallationStatus status, IReadOnlyList<string> scopes,
        DateTimeOffset createdAt, DateTimeOffset updatedAt, DateTimeOffset? activatedAt, long version)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(scopes);
        DomainException.ThrowUnless(Enum.IsDefined(status), $"Unknown installation status {(int)status}.");
        DomainException.ThrowUnless(version > 0, "A stored installation has a positive version.");
        return new Installation(account, status, scopes, createdAt, updatedAt, activatedAt, version);
    }

    /// <summary>
    /// Records a completed authorization: the installation becomes <see cref="InstallationStatus.Active"/>
    /// with the granted scopes. Allowed from every state, since a user may install again at any time.
    /// </summary>
    public void Activate(IReadOnlyList<string> grantedScopes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(grantedScopes);
        var wasInstalledBefore = ActivatedAt is not null;
        // A copy: the caller's list must not change the installation (or its event) after the fact.
        string[] scopes = [.. grantedScopes];
        Status = InstallationStatus.Active;
        Scopes = scopes;
        ActivatedAt = now;
        UpdatedAt = now;
        _events.Add(new InstallationCompleted(Account, scopes, wasInstalledBefore, now));
    }

    /// <summary>
    /// Records that Gorgias no longer accepts the refresh token: the user must install again.
    /// Only an active installation can lose its access.
    /// </summary>
    public void RequireReauthorization(string reason, DateTimeOffset now)
    {
        DomainException.ThrowUnless(HoldsTokens,
            $"Installation '{Account}' is {Status}; only an Active installation can lose its access (a RefreshFailing one too).");
        Status = InstallationStatus.ReauthorizationRequired;
        UpdatedAt = now;
        _events.Add(new AccessLost(Account, reason, now));
    }

    /// <summary>
    /// Records that refreshes keep failing for a reason other than a revoked grant: the installation becomes
    /// <see cref="InstallationStatus.RefreshFailing"/> so an operator sees it, and the host is told once.
    /// </summary>
    public void MarkRefreshFailing(string lastError, int consecutiveFailures, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(lastError);
        DomainException.ThrowUnless(Status == InstallationStatus.Active,
            $"Installation '{Account}' is {Status}; only an Active installation can start failing to refresh.");
        Status = InstallationStatus.RefreshFailing;
        UpdatedAt = now;
        _events.Add(new RefreshFailing(Account, lastError, consecutiveFailures, now));
    }

    /// <summary>Records that a refresh succeeded again: a <see cref="InstallationStatus.RefreshFailing"/> installation is Active again.</summary>
    public void MarkRefreshRecovered(DateTimeOffset now)
    {
        DomainException.ThrowUnless(Status == InstallationStatus.RefreshFailing,
            $"Installation '{Account}' is {Status}; only a RefreshFailing installation can recover.");
        Status = InstallationStatus.Active;
        UpdatedAt = now;
        _events.Add(new RefreshRecovered(Account, now));
    }

    /// <summary>Uninstalls the app. Allowed from every state except <see cref="InstallationStatus.Uninstalled"/>.</summary>
    public void Uninstall(DateTimeOffset now)
    {
        DomainException.ThrowUnless(Status != InstallationStatus.Uninstalled,
            $"Installation '{Account}' is already uninstalled.");
        Status = InstallationStatus.Uninstalled;
        Scopes = [];
        UpdatedAt = now;
        _events.Add(new InstallationUninstalled(Account, now));
    }

    /// <inheritdoc />
    public void ClearDomainEvents() => _events.Clear();
}

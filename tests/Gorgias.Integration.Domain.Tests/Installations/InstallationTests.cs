using Gorgias.Integration.Domain.Common;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Installations.Events;

namespace Gorgias.Integration.Domain.Tests.Installations;

public sealed class InstallationTests
{
    private static readonly AccountName Acme = AccountName.Parse("acme");
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddMinutes(1);
    private static readonly DateTimeOffset T2 = T0.AddMinutes(2);
    private static readonly DateTimeOffset T3 = T0.AddMinutes(3);
    private static readonly string[] Granted = ["openid", "offline", "write:all"];

    public static TheoryData<InstallationStatus> AllStatuses => new()
    {
        InstallationStatus.Pending,
        InstallationStatus.Active,
        InstallationStatus.ReauthorizationRequired,
        InstallationStatus.Uninstalled,
    };

    [Fact]
    public void Start_CreatesAPendingUnsavedInstallationWithoutEvents()
    {
        var installation = Installation.Start(Acme, T0);

        Assert.Equal(Acme, installation.Account);
        Assert.Equal(InstallationStatus.Pending, installation.Status);
        Assert.Empty(installation.Scopes);
        Assert.Equal(T0, installation.CreatedAt);
        Assert.Equal(T0, installation.UpdatedAt);
        Assert.Null(installation.ActivatedAt);
        Assert.Equal(0, installation.Version);
        Assert.Empty(installation.DomainEvents);
    }

    [Fact]
    public void Start_WhenAccountIsNull_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Installation.Start(null!, T0));
    }

    [Fact]
    public void Activate_WhenPending_BecomesActiveWithScopesAndRaisesAFirstInstall()
    {
        var installation = Installation.Start(Acme, T0);

        installation.Activate(Granted, T1);

        Assert.Equal(InstallationStatus.Active, installation.Status);
        Assert.Equal(Granted, installation.Scopes);
        Assert.Equal(T1, installation.ActivatedAt);
        Assert.Equal(T1, installation.UpdatedAt);
        Assert.Equal(T0, installation.CreatedAt);
        var completed = Assert.IsType<InstallationCompleted>(Assert.Single(installation.DomainEvents));
        Assert.Equal(Acme, completed.Account);
        Assert.Equal(Granted, completed.Scopes);
        Assert.False(completed.IsReinstall);
        Assert.Equal(T1, completed.OccurredAt);
    }

    [Theory]
    [InlineData(InstallationStatus.Active)]
    [InlineData(InstallationStatus.ReauthorizationRequired)]
    [InlineData(InstallationStatus.Uninstalled)]
    public void Activate_WhenInstalledBefore_BecomesActiveAndRaisesAReinstall(InstallationStatus from)
    {
        var installation = InState(from);
        string[] newScopes = ["openid", "offline", "tickets:read"];

        installation.Activate(newScopes, T3);

        Assert.Equal(InstallationStatus.Active, installation.Status);
        Assert.Equal(newScopes, installation.Scopes);
        Assert.Equal(T3, installation.ActivatedAt);
        Assert.Equal(T3, installation.UpdatedAt);
        var completed = Assert.IsType<InstallationCompleted>(Assert.Single(installation.DomainEvents));
        Assert.True(completed.IsReinstall);
        Assert.Equal(newScopes, completed.Scopes);
        Assert.Equal(T3, completed.OccurredAt);
    }

    [Fact]
    public void Activate_WhenUninstalledBeforeEverBeingActive_IsNotAReinstall()
    {
        var installation = Installation.Start(Acme, T0);
        installation.Uninstall(T1);
        installation.ClearDomainEvents();

        installation.Activate(Granted, T2);

        Assert.Equal(InstallationStatus.Active, installation.Status);
        Assert.False(Assert.IsType<InstallationCompleted>(Assert.Single(installation.DomainEvents)).IsReinstall);
    }

    [Fact]
    public void Activate_WhenRestoredWithAnActivation_IsAReinstall()
    {
        var installation = Installation.Restore(Acme, InstallationStatus.ReauthorizationRequired, Granted,
            T0, T1, activatedAt: T0, version: 4);

        installation.Activate(Granted, T2);

        Assert.True(Assert.IsType<InstallationCompleted>(Assert.Single(installation.DomainEvents)).IsReinstall);
    }

    [Fact]
    public void Activate_WhenTheCallerLaterChangesItsScopeList_KeepsTheGrantedScopes()
    {
        var installation = Installation.Start(Acme, T0);
        var scopes = new List<string> { "openid", "offline" };

        installation.Activate(scopes, T1);
        scopes.Add("write:all");

        Assert.Equal(["openid", "offline"], installation.Scopes);
        Assert.Equal(["openid", "offline"], Assert.IsType<InstallationCompleted>(installation.DomainEvents[0]).Scopes);
    }

    [Fact]
    public void Activate_WhenScopesAreNull_Throws()
    {
        var installation = Installation.Start(Acme, T0);

        Assert.Throws<ArgumentNullException>(() => installation.Activate(null!, T1));
        Assert.Empty(installation.DomainEvents);
    }

    [Fact]
    public void Row25_RequireReauthorization_WhenActive_BecomesReauthorizationRequiredAndRaisesAccessLost()
    {
        var installation = InState(InstallationStatus.Active);

        installation.RequireReauthorization("invalid_grant", T3);

        Assert.Equal(InstallationStatus.ReauthorizationRequired, installation.Status);
        Assert.Equal(T3, installation.UpdatedAt);
        Assert.Equal(T1, installation.ActivatedAt);
        var lost = Assert.IsType<AccessLost>(Assert.Single(installation.DomainEvents));
        Assert.Equal(Acme, lost.Account);
        Assert.Equal("invalid_grant", lost.Reason);
        Assert.Equal(T3, lost.OccurredAt);
    }

    [Theory]
    [InlineData(InstallationStatus.Pending)]
    [InlineData(InstallationStatus.ReauthorizationRequired)]
    [InlineData(InstallationStatus.Uninstalled)]
    public void RequireReauthorization_WhenNotActive_IsRejectedAndChangesNothing(InstallationStatus from)
    {
        var installation = InState(from);
        var updatedAt = installation.UpdatedAt;

        var exception = Assert.Throws<DomainException>(() => installation.RequireReauthorization("invalid_grant", T3));

        Assert.Contains($"'acme' is {from}", exception.Message, StringComparison.Ordinal);
        Assert.Contains("only an Active installation can lose its access", exception.Message, StringComparison.Ordinal);
        Assert.Equal(from, installation.Status);
        Assert.Equal(updatedAt, installation.UpdatedAt);
        Assert.Empty(installation.DomainEvents);
    }

    [Theory]
    [InlineData(InstallationStatus.Pending)]
    [InlineData(InstallationStatus.Active)]
    [InlineData(InstallationStatus.ReauthorizationRequired)]
    public void Uninstall_WhenNotUninstalled_BecomesUninstalledWithoutScopesAndRaisesUninstalled(InstallationStatus from)
    {
        var installation = InState(from);

        installation.Uninstall(T3);

        Assert.Equal(InstallationStatus.Uninstalled, installation.Status);
        Assert.Empty(installation.Scopes);
        Assert.Equal(T3, installation.UpdatedAt);
        var uninstalled = Assert.IsType<InstallationUninstalled>(Assert.Single(installation.DomainEvents));
        Assert.Equal(Acme, uninstalled.Account);
        Assert.Equal(T3, uninstalled.OccurredAt);
    }

    [Fact]
    public void Uninstall_WhenAlreadyUninstalled_IsRejectedAndRaisesNothing()
    {
        var installation = InState(InstallationStatus.Uninstalled);

        var exception = Assert.Throws<DomainException>(() => installation.Uninstall(T3));

        Assert.Contains("'acme' is already uninstalled", exception.Message, StringComparison.Ordinal);
        Assert.Equal(InstallationStatus.Uninstalled, installation.Status);
        Assert.Empty(installation.DomainEvents);
    }

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void Restore_RebuildsEveryFieldAndRaisesNoEvents(InstallationStatus status)
    {
        var installation = Installation.Restore(Acme, status, Granted, T0, T2, T1, version: 7);

        Assert.Equal(Acme, installation.Account);
        Assert.Equal(status, installation.Status);
        Assert.Equal(Granted, installation.Scopes);
        Assert.Equal(T0, installation.CreatedAt);
        Assert.Equal(T2, installation.UpdatedAt);
        Assert.Equal(T1, installation.ActivatedAt);
        Assert.Equal(7, installation.Version);
        Assert.Empty(installation.DomainEvents);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    public void Restore_WhenVersionIsNotPositive_IsRejected(long version)
    {
        var exception = Assert.Throws<DomainException>(() =>
            Installation.Restore(Acme, InstallationStatus.Active, Granted, T0, T1, T1, version));

        Assert.Contains("positive version", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(5)]
    [InlineData(int.MaxValue)]
    public void Restore_WhenStatusIsUndefined_IsRejected(int status)
    {
        var exception = Assert.Throws<DomainException>(() =>
            Installation.Restore(Acme, (InstallationStatus)status, Granted, T0, T1, T1, version: 1));

        Assert.Contains($"Unknown installation status {status}", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_WhenAccountOrScopesAreNull_Throws()
    {
        Assert.Throws<ArgumentNullException>(() =>
            Installation.Restore(null!, InstallationStatus.Active, Granted, T0, T1, T1, version: 1));
        Assert.Throws<ArgumentNullException>(() =>
            Installation.Restore(Acme, InstallationStatus.Active, null!, T0, T1, T1, version: 1));
    }

    [Fact]
    public void Transitions_KeepTheVersionTheInstallationWasLoadedAt()
    {
        var installation = Installation.Restore(Acme, InstallationStatus.Active, Granted, T0, T1, T1, version: 3);

        installation.RequireReauthorization("invalid_grant", T2);
        installation.Activate(Granted, T3);
        installation.Uninstall(T3);

        Assert.Equal(3, installation.Version);
    }

    [Fact]
    public void DomainEvents_AccumulateInOrderUntilCleared()
    {
        var installation = Installation.Start(Acme, T0);

        installation.Activate(Granted, T1);
        installation.RequireReauthorization("invalid_grant", T2);
        installation.Uninstall(T3);

        Assert.Collection(installation.DomainEvents,
            e => Assert.IsType<InstallationCompleted>(e),
            e => Assert.IsType<AccessLost>(e),
            e => Assert.IsType<InstallationUninstalled>(e));

        installation.ClearDomainEvents();

        Assert.Empty(installation.DomainEvents);
        Assert.Equal(InstallationStatus.Uninstalled, installation.Status);
    }

    /// <summary>An installation brought to <paramref name="status"/> through its own transitions, with no events left.</summary>
    private static Installation InState(InstallationStatus status)
    {
        var installation = Installation.Start(Acme, T0);
        if (status != InstallationStatus.Pending)
        {
            installation.Activate(Granted, T1);
        }

        if (status == InstallationStatus.ReauthorizationRequired)
        {
            installation.RequireReauthorization("invalid_grant", T2);
        }
        else if (status == InstallationStatus.Uninstalled)
        {
            installation.Uninstall(T2);
        }

        installation.ClearDomainEvents();
        Assert.Equal(status, installation.Status);
        return installation;
    }
}

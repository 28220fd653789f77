using Gorgias.Integration.Application.Installations.RunMaintenance;

namespace Gorgias.Integration.Infrastructure.Background;

/// <summary>How the background worker keeps tokens fresh (configuration section <c>Integration:BackgroundRefresh</c>).</summary>
public sealed class BackgroundRefreshOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Integration:BackgroundRefresh";

    /// <summary>Time between two cycles.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Tokens expiring within this time are refreshed; longer than <c>Gorgias:RefreshBeforeExpiry</c>, so callers rarely wait for a refresh.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>At most this many accounts are refreshed at once.</summary>
    public int MaxParallelism { get; set; } = 4;

    /// <summary>At most this many accounts are handled per cycle (soonest expiry first); the rest wait for the next cycle.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Each account waits a random time up to this before its refresh, so that several processes do not hit Gorgias in step.</summary>
    public TimeSpan MaxJitter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The cycle these options describe.</summary>
    internal RunMaintenanceCommand ToCommand() => new(Window, BatchSize, MaxParallelism, MaxJitter);
}

namespace Gorgias.Integration.Host;

/// <summary>
/// Keeps <c>appsettings*.json</c> reloading on change, but by polling them instead of watching the content root.
/// </summary>
/// <remarks>
/// The default reload watches the whole content root with inotify, sub-folders included, and the SQLite file
/// (<c>gorgias-integration.db</c>, its WAL and shared-memory files) and the key folder live there by default: every page
/// SQLite wrote raised an event in the kernel and woke the watcher's thread to match it against <c>appsettings.json</c>,
/// about 7 % of the Host's processor time under a load of installs (docs/PERFORMANCE.md, issue 15). With
/// <c>DOTNET_USE_POLLING_FILE_WATCHER</c> set, every file provider of the process reads the timestamps of the files it was
/// asked to watch every 4 seconds instead, whatever else is written next to them. A value the operator set is kept.
/// </remarks>
internal static class ConfigurationFiles
{
    private const string PollingVariable = "DOTNET_USE_POLLING_FILE_WATCHER";

    /// <summary>Call before the builder is created: its file providers read the variable when they are made.</summary>
    public static void PollInsteadOfWatching()
    {
        if (Environment.GetEnvironmentVariable(PollingVariable) is null)
        {
            Environment.SetEnvironmentVariable(PollingVariable, "true");
        }
    }
}

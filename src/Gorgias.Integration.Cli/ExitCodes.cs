namespace Gorgias.Integration.Cli;

/// <summary>What the tool's exit code says; scripts switch on these three only.</summary>
internal static class ExitCodes
{
    /// <summary>Everything asked for was done.</summary>
    public const int Ok = 0;

    /// <summary>The command ran and something failed (a refresh, a check of <c>doctor</c>, the database, Gorgias).</summary>
    public const int Failed = 1;

    /// <summary>The command line itself is wrong: an unknown command or option, a missing or invalid argument.</summary>
    public const int BadUsage = 2;
}

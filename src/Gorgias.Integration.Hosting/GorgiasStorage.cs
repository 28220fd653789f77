namespace Gorgias.Integration;

/// <summary>Where the integration stores installations, tokens and pending work.</summary>
public enum GorgiasStorage
{
    /// <summary>One SQLite file (<c>ConnectionStrings:Integration</c>, e.g. <c>Data Source=gorgias-integration.db</c>): one instance, the default.</summary>
    Sqlite,

    /// <summary>
    /// A PostgreSQL database (<c>ConnectionStrings:Integration</c>, e.g. <c>Host=…;Database=…;Username=…;Password=…</c>)
    /// shared by any number of instances, with the Data Protection key ring in it by default.
    /// </summary>
    PostgreSql,
}

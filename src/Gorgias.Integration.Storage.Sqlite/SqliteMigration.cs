namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>One schema change: its version, what it does, and its SQL (several statements allowed).</summary>
internal sealed record SqliteMigration(int Version, string Description, string Sql);

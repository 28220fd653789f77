namespace Gorgias.Integration.Application.Abstractions;

/// <summary>
/// The storage's schema version and its migrations, for an operator's tool: the command-line host's <c>migrate</c>
/// and <c>doctor</c>. Hosts never need to call it; the storage migrates itself at start-up and before first use.
/// </summary>
public interface IStorageSchema
{
    /// <summary>Reads the applied and the latest version without creating or changing anything.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidOperationException">The database cannot be reached; the message names the setting.</exception>
    Task<StorageSchemaStatus> GetStatusAsync(CancellationToken cancellationToken);

    /// <summary>Applies every migration not yet applied (safe to run again, and beside running instances).</summary>
    /// <param name="cancellationToken">Cancels the wait (a migration under way completes or rolls back as a whole).</param>
    /// <returns>The status after the migration and how many migrations this call applied.</returns>
    /// <exception cref="InvalidOperationException">The database cannot be reached or is newer than this build.</exception>
    Task<StorageSchemaMigration> MigrateAsync(CancellationToken cancellationToken);
}

/// <summary>Which schema version a storage has and which this build knows.</summary>
/// <param name="Storage">What and where, e.g. <c>SQLite at /srv/gorgias.db</c>; never a password.</param>
/// <param name="CurrentVersion">The newest applied migration; 0 when the database is empty or does not exist yet.</param>
/// <param name="LatestVersion">The newest migration this build has.</param>
public sealed record StorageSchemaStatus(string Storage, int CurrentVersion, int LatestVersion)
{
    /// <summary>True when every migration of this build is applied.</summary>
    public bool IsCurrent => CurrentVersion == LatestVersion;
}

/// <summary>The outcome of <see cref="IStorageSchema.MigrateAsync"/>.</summary>
/// <param name="Status">The status afterwards.</param>
/// <param name="Applied">How many migrations this call applied (0 when the schema was already current).</param>
public sealed record StorageSchemaMigration(StorageSchemaStatus Status, int Applied);

using Microsoft.Data.Sqlite;

namespace Gorgias.Integration.Benchmarks.Support;

/// <summary>A temp folder holding a SQLite file and a Data Protection key folder, deleted on dispose.</summary>
internal sealed class BenchStorage : IDisposable
{
    public BenchStorage(string? folder = null)
    {
        Folder = folder ?? Directory.CreateTempSubdirectory("gorgias-bench-").FullName;
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, "integration.db");

    public string ConnectionString => $"Data Source={DatabasePath}";

    public string KeysPath => Path.Combine(Folder, "keys");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind must not fail a run.
        }
    }
}

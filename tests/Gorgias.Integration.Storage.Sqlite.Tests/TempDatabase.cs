using System.Security.Cryptography;
using System.Text;
using Gorgias.Integration.Infrastructure.Secrets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;

namespace Gorgias.Integration.Storage.Sqlite.Tests;

/// <summary>
/// A real SQLite file and a real Data Protection key folder in a fresh temp folder, deleted afterwards.
/// Each <see cref="Open"/> is what one process would build: its own database object, protector and adapters.
/// </summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly List<SqliteDatabase> _databases = [];

    public TempDatabase()
    {
        Folder = Path.Combine(Path.GetTempPath(), "gorgias-sqlite-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        KeysFolder = Path.Combine(Folder, "keys");
        DatabasePath = Path.Combine(Folder, "integration.db");
    }

    public string Folder { get; }

    public string KeysFolder { get; }

    public string DatabasePath { get; }

    public string ConnectionString => $"Data Source={DatabasePath}";

    /// <summary>The main file and its WAL companions, whether they exist right now or not.</summary>
    public IReadOnlyList<string> Files => [DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm"];

    public IDataProtectionProvider CreateProvider() =>
        DataProtectionProvider.Create(new DirectoryInfo(KeysFolder),
            builder => builder.SetApplicationName(DataProtectionRegistration.ApplicationName));

    public Store Open(IDataProtectionProvider? provider = null, string? connectionString = null)
    {
        var database = new SqliteDatabase(connectionString ?? ConnectionString);
        _databases.Add(database);
        var protector = new SecretProtector(provider ?? CreateProvider());
        return new Store(database,
            new SqliteInstallationRepository(database),
            new SqliteTokenSetRepository(database, protector),
            new SqliteAuthorizationRequestStore(database),
            new SqliteAccessQueries(database),
            new SqliteInstallTransactions(database, protector),
            new SqlitePendingRevocationStore(database, protector));
    }

    /// <summary>Closes the kept and the pooled connections, as a process exit would: the last close checkpoints the WAL.</summary>
    public void CloseConnections()
    {
        foreach (var database in _databases)
        {
            database.CloseConnections();
            using var connection = new SqliteConnection(database.ConnectionString);
            SqliteConnection.ClearPool(connection);
        }
    }

    /// <summary>Names of the database files that contain <paramref name="needle"/>, read while SQLite may hold them open.</summary>
    public IReadOnlyList<string> FilesContaining(byte[] needle) =>
        [.. Files.Where(File.Exists).Where(file => ReadShared(file).AsSpan().IndexOf(needle) >= 0).Select(Path.GetFileName)!];

    public IReadOnlyList<string> FilesContaining(string plaintext) => FilesContaining(Encoding.UTF8.GetBytes(plaintext));

    public static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public void Dispose()
    {
        CloseConnections();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test.
        }
    }

    public static string NewSecret(string prefix) => $"{prefix}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(16))}";
}

internal sealed record Store(
    SqliteDatabase Database,
    SqliteInstallationRepository Installations,
    SqliteTokenSetRepository Tokens,
    SqliteAuthorizationRequestStore Requests,
    SqliteAccessQueries Access,
    SqliteInstallTransactions Transactions,
    SqlitePendingRevocationStore PendingRevocations);

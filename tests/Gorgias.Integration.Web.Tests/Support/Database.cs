using Microsoft.Data.Sqlite;

namespace Gorgias.Integration.Web.Tests.Support;

/// <summary>Reads the Host's SQLite file directly, to check what was (not) written.</summary>
public static class Database
{
    public static long Count(IntegrationHost host, string table)
    {
        using var connection = new SqliteConnection($"Data Source={host.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}"; // table names are constants of the tests
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>All bytes of the database and its WAL and shared-memory files.</summary>
    public static byte[] AllBytes(IntegrationHost host)
    {
        var bytes = new List<byte>();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            var path = host.DatabasePath + suffix;
            if (File.Exists(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                bytes.AddRange(copy.ToArray());
            }
        }

        return [.. bytes];
    }

    public static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(needle)) >= 0;
}

using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Gorgias.Integration.Application.Tests.Support;

/// <summary>Raw access to a <see cref="SharedStorage"/>'s SQLite files, bypassing the adapters.</summary>
public static class DatabaseFiles
{
    public static async Task<T?> ScalarAsync<T>(this SharedStorage storage, string sql, object? parameters = null)
    {
        await using var connection = await OpenAsync(storage);
        return await connection.ExecuteScalarAsync<T>(sql, parameters);
    }

    /// <summary>Copies the WAL into the main file and truncates it, as SQLite's own checkpoints eventually do.</summary>
    public static async Task CheckpointAsync(this SharedStorage storage)
    {
        await using var connection = await OpenAsync(storage);
        var (busy, _, _) = await connection.QuerySingleAsync<(long, long, long)>("PRAGMA wal_checkpoint(TRUNCATE)");
        Assert.Equal(0, busy);
    }

    /// <summary>Which of <c>.db</c>, <c>-wal</c>, <c>-shm</c> contain <paramref name="needle"/>, read while SQLite may hold them open.</summary>
    public static IReadOnlyList<string> FilesContaining(this SharedStorage storage, byte[] needle)
    {
        string[] files = [storage.DatabasePath, storage.DatabasePath + "-wal", storage.DatabasePath + "-shm"];
        return [.. files.Where(File.Exists).Where(file => ReadShared(file).AsSpan().IndexOf(needle) >= 0).Select(file => Path.GetFileName(file))];
    }

    public static IReadOnlyList<string> FilesContaining(this SharedStorage storage, string plaintext) =>
        storage.FilesContaining(Encoding.UTF8.GetBytes(plaintext));

    private static async Task<SqliteConnection> OpenAsync(SharedStorage storage)
    {
        var connection = new SqliteConnection($"{storage.ConnectionString};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

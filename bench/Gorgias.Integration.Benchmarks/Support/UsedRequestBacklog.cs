using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Gorgias.Integration.Benchmarks.Support;

/// <summary>Unexpired used authorization requests of other installs (callbacks already completed), written raw.</summary>
internal static class UsedRequestBacklog
{
    public static void Seed(string connectionString, int count, DateTimeOffset expiresAt)
    {
        using var connection = new SqliteConnection(connectionString + ";Pooling=False");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO used_authorization_requests (state_hash, expires_at) VALUES ($hash, $expires);";
        var hash = insert.Parameters.Add("$hash", SqliteType.Blob);
        insert.Parameters.AddWithValue("$expires", expiresAt.ToUnixTimeMilliseconds());
        for (var i = 0; i < count; i++)
        {
            hash.Value = RandomNumberGenerator.GetBytes(32);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}

using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Gorgias.Integration.Benchmarks.Support;

/// <summary>Unexpired pending authorizations of other browsers (installs started, not yet approved), written raw.</summary>
internal static class PendingBacklog
{
    public static void Seed(string connectionString, int count, DateTimeOffset expiresAt)
    {
        using var connection = new SqliteConnection(connectionString + ";Pooling=False");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO authorization_requests (state_hash, account, nonce, code_verifier, redirect_uri, browser_binding, created_at, expires_at)
            VALUES ($hash, $account, $nonce, $nonce, 'https://app.example/oauth/callback?account=pending', 'binding', $created, $expires);
            """;
        var hash = insert.Parameters.Add("$hash", SqliteType.Blob);
        var account = insert.Parameters.Add("$account", SqliteType.Text);
        var nonce = insert.Parameters.Add("$nonce", SqliteType.Blob);
        insert.Parameters.AddWithValue("$created", expiresAt.AddMinutes(-10).ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("$expires", expiresAt.ToUnixTimeMilliseconds());
        for (var i = 0; i < count; i++)
        {
            hash.Value = RandomNumberGenerator.GetBytes(32);
            account.Value = $"pending-{i}";
            nonce.Value = RandomNumberGenerator.GetBytes(120);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public static int Clear(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM authorization_requests;";
        return delete.ExecuteNonQuery();
    }
}

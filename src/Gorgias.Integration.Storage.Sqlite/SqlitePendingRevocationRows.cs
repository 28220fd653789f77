using Dapper;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Secrets;
using Gorgias.Integration.Infrastructure.Storage;
using Microsoft.Data.Sqlite;
using static Gorgias.Integration.Storage.Sqlite.SqliteValues;

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>
/// The SQL of <c>pending_revocations</c> shared by the store (retries) and the uninstall transaction (queueing), so
/// that neither reaches into the other.
/// </summary>
internal static class SqlitePendingRevocationRows
{
    public const string SelectColumns = """
        SELECT account AS Account, refresh_token AS RefreshToken, attempts AS Attempts, next_attempt_at AS NextAttemptAt,
               created_at AS CreatedAt
        FROM pending_revocations
        """;

    public const string FindSql = SelectColumns + " WHERE account = @Account;";

    public const string UpsertSql = """
        INSERT INTO pending_revocations (account, refresh_token, attempts, next_attempt_at, created_at)
        VALUES (@Account, @RefreshToken, @Attempts, @NextAttemptAt, @CreatedAt)
        ON CONFLICT (account) DO UPDATE SET
            refresh_token = excluded.refresh_token,
            attempts = excluded.attempts,
            next_attempt_at = excluded.next_attempt_at,
            created_at = excluded.created_at;
        """;

    /// <summary>
    /// Stores <paramref name="revocation"/> as its account's entry inside the caller's transaction. An entry holding
    /// another token is never overwritten (that token may still be valid at Gorgias): that throws
    /// <see cref="ConcurrencyException"/>, and the caller's transaction rolls back.
    /// </summary>
    public static async Task QueueAsync(SqliteConnection connection, SqliteTransaction transaction, PendingRevocation revocation,
        SecretProtector protector, CancellationToken cancellationToken)
    {
        var existing = await FindRowAsync(connection, transaction, revocation.Account, cancellationToken);
        if (existing is not null && !HoldsToken(existing, revocation, protector))
        {
            throw StoredConflicts.AnotherTokenQueued(revocation.Account);
        }

        var parameters = new
        {
            Account = revocation.Account.Value,
            RefreshToken = protector.ProtectQueuedToken(revocation),
            revocation.Attempts,
            NextAttemptAt = ToUnixMs(revocation.NextAttemptAt),
            CreatedAt = ToUnixMs(revocation.CreatedAt),
        };
        await connection.ExecuteAsync(new CommandDefinition(UpsertSql, parameters, transaction, cancellationToken: cancellationToken));
    }

    public static Task<PendingRevocationRow?> FindRowAsync(SqliteConnection connection, SqliteTransaction transaction,
        AccountName account, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<PendingRevocationRow>(
            new CommandDefinition(FindSql, new { Account = account.Value }, transaction, cancellationToken: cancellationToken));

    public static bool HoldsToken(PendingRevocationRow row, PendingRevocation revocation, SecretProtector protector) =>
        protector.HoldsQueuedToken(row.RefreshToken, revocation);

    public static PendingRevocation ToDomain(PendingRevocationRow row, SecretProtector protector) =>
        protector.RestorePendingRevocation(row.Account, row.RefreshToken, checked((int)row.Attempts), FromUnixMs(row.NextAttemptAt), FromUnixMs(row.CreatedAt));

    public sealed class PendingRevocationRow
    {
        public string Account { get; init; } = "";

        public byte[] RefreshToken { get; init; } = [];

        public long Attempts { get; init; }

        public long NextAttemptAt { get; init; }

        public long CreatedAt { get; init; }
    }
}

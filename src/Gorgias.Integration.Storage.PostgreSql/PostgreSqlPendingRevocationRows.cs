using Dapper;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Secrets;
using Gorgias.Integration.Infrastructure.Storage;
using Npgsql;
using static Gorgias.Integration.Storage.PostgreSql.PostgreSqlValues;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>
/// The SQL of <c>pending_revocations</c> shared by the store (retries) and the uninstall transaction (queueing), so
/// that neither reaches into the other.
/// </summary>
internal static class PostgreSqlPendingRevocationRows
{
    public const string SelectColumns = """
        SELECT account AS Account, refresh_token AS RefreshToken, attempts AS Attempts, next_attempt_at AS NextAttemptAt,
               created_at AS CreatedAt
        FROM {schema}.pending_revocations
        """;

    public const string FindSql = SelectColumns + " WHERE account = @Account;";

    /// <summary>The row, locked until the caller's transaction ends: its token is compared in .NET, not in SQL.</summary>
    public const string FindForUpdateSql = SelectColumns + " WHERE account = @Account FOR UPDATE;";

    private const string UpsertSql = """
        INSERT INTO {schema}.pending_revocations (account, refresh_token, attempts, next_attempt_at, created_at)
        VALUES (@Account, @RefreshToken, @Attempts, @NextAttemptAt, @CreatedAt)
        ON CONFLICT (account) DO UPDATE SET
            refresh_token = EXCLUDED.refresh_token,
            attempts = EXCLUDED.attempts,
            next_attempt_at = EXCLUDED.next_attempt_at,
            created_at = EXCLUDED.created_at;
        """;

    /// <summary>
    /// Stores <paramref name="revocation"/> as its account's entry inside the caller's transaction. An entry holding
    /// another token is never overwritten (that token may still be valid at Gorgias): that throws
    /// <see cref="ConcurrencyException"/>, and the caller's transaction rolls back.
    /// </summary>
    public static async Task QueueAsync(PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction,
        PendingRevocation revocation, SecretProtector protector, CancellationToken cancellationToken)
    {
        var existing = await FindRowForUpdateAsync(database, connection, transaction, revocation.Account, cancellationToken);
        if (existing is not null && !HoldsToken(existing, revocation, protector))
        {
            throw StoredConflicts.AnotherTokenQueued(revocation.Account);
        }

        var parameters = new
        {
            Account = revocation.Account.Value,
            RefreshToken = protector.ProtectQueuedToken(revocation),
            revocation.Attempts,
            NextAttemptAt = ToStored(revocation.NextAttemptAt),
            CreatedAt = ToStored(revocation.CreatedAt),
        };
        await connection.ExecuteAsync(new CommandDefinition(database.Sql(UpsertSql), parameters, transaction, cancellationToken: cancellationToken));
    }

    public static Task<PendingRevocationRow?> FindRowForUpdateAsync(PostgreSqlDatabase database, NpgsqlConnection connection,
        NpgsqlTransaction transaction, AccountName account, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<PendingRevocationRow>(
            new CommandDefinition(database.Sql(FindForUpdateSql), new { Account = account.Value }, transaction, cancellationToken: cancellationToken));

    public static bool HoldsToken(PendingRevocationRow row, PendingRevocation revocation, SecretProtector protector) =>
        protector.HoldsQueuedToken(row.RefreshToken, revocation);

    public static PendingRevocation ToDomain(PendingRevocationRow row, SecretProtector protector) =>
        protector.RestorePendingRevocation(row.Account, row.RefreshToken, row.Attempts, FromStored(row.NextAttemptAt), FromStored(row.CreatedAt));

    public sealed class PendingRevocationRow
    {
        public string Account { get; init; } = "";

        public byte[] RefreshToken { get; init; } = [];

        public int Attempts { get; init; }

        public DateTime NextAttemptAt { get; init; }

        public DateTime CreatedAt { get; init; }
    }
}

using System.Security.Cryptography;
using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Application.Common.Security;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static Gorgias.Integration.Infrastructure.Persistence.SqliteValues;

namespace Gorgias.Integration.Infrastructure.Persistence;

/// <summary>
/// Pending revocations in <c>pending_revocations</c>, the refresh token encrypted per account. Rows are written by
/// <see cref="SqliteInstallationRepository.UninstallAsync"/> through <see cref="QueueAsync"/>. A change checks, under
/// the write lock, that the row still holds the caller's token (decrypted and compared in constant time), so a row
/// replaced in between is left alone. Deleted rows leave no ciphertext behind: <c>secure_delete</c> is on.
/// </summary>
internal sealed partial class SqlitePendingRevocationStore(
    SqliteDatabase database,
    SecretProtector protector,
    ILogger<SqlitePendingRevocationStore>? logger = null) : IPendingRevocationStore
{
    /// <summary>How long an entry that cannot be decrypted waits before it is tried again (a key ring restored meanwhile may read it).</summary>
    internal static readonly TimeSpan UnreadableRetry = TimeSpan.FromHours(1);

    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    private const string TokenField = "refresh_token";

    private const string SelectColumns = """
        SELECT account AS Account, refresh_token AS RefreshToken, attempts AS Attempts, next_attempt_at AS NextAttemptAt,
               created_at AS CreatedAt
        FROM pending_revocations
        """;

    private const string FindSql = SelectColumns + " WHERE account = @Account;";

    /// <summary>Served by <c>ix_pending_revocations_next_attempt_at</c>: no sort.</summary>
    private const string ListDueSql = SelectColumns + " WHERE next_attempt_at <= @Now ORDER BY next_attempt_at LIMIT @Limit;";

    private const string UpsertSql = """
        INSERT INTO pending_revocations (account, refresh_token, attempts, next_attempt_at, created_at)
        VALUES (@Account, @RefreshToken, @Attempts, @NextAttemptAt, @CreatedAt)
        ON CONFLICT (account) DO UPDATE SET
            refresh_token = excluded.refresh_token,
            attempts = excluded.attempts,
            next_attempt_at = excluded.next_attempt_at,
            created_at = excluded.created_at;
        """;

    private const string RescheduleSql = """
        UPDATE pending_revocations SET attempts = @Attempts, next_attempt_at = @NextAttemptAt
        WHERE account = @Account;
        """;

    private const string DeleteSql = "DELETE FROM pending_revocations WHERE account = @Account;";

    /// <summary>Compare-and-set on the row as listed: a row another worker claimed or replaced meanwhile is left alone.</summary>
    private const string PostponeUnreadableSql = """
        UPDATE pending_revocations SET attempts = attempts + 1, next_attempt_at = @NextAttemptAt
        WHERE account = @Account AND attempts = @Attempts AND next_attempt_at = @ListedNextAttemptAt;
        """;

    public async Task<PendingRevocation?> FindAsync(AccountName account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<PendingRevocationRow>(
            new CommandDefinition(FindSql, new { Account = account.Value }, cancellationToken: cancellationToken));
        return row is null ? null : ToDomain(row);
    }

    public async Task<IReadOnlyList<PendingRevocation>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PendingRevocationRow>(new CommandDefinition(ListDueSql,
            new { Now = ToUnixMs(now), Limit = limit }, cancellationToken: cancellationToken));
        var due = new List<PendingRevocation>();
        foreach (var row in rows)
        {
            try
            {
                due.Add(ToDomain(row));
            }
            catch (CryptographicException exception)
            {
                // One unreadable entry (altered row, lost key) must not stop every other revocation: it is skipped, logged
                // with its account, and tried again later, when a restored key ring may read it.
                var retryAt = now + UnreadableRetry;
                await connection.ExecuteAsync(new CommandDefinition(PostponeUnreadableSql,
                    new { row.Account, row.Attempts, ListedNextAttemptAt = row.NextAttemptAt, NextAttemptAt = ToUnixMs(retryAt) },
                    cancellationToken: cancellationToken));
                LogUnreadable(_logger, row.Account, retryAt, exception);
            }
        }

        return due;
    }

    public async Task<bool> RescheduleAsync(PendingRevocation revocation, int attempts, DateTimeOffset nextAttemptAt,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        ArgumentOutOfRangeException.ThrowIfNegative(attempts);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = SqliteDatabase.BeginImmediateTransaction(connection);
        var row = await FindRowAsync(connection, transaction, revocation.Account, cancellationToken);
        if (row is null || row.Attempts != revocation.Attempts || !HoldsToken(row, revocation, protector))
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(RescheduleSql,
            new { Account = revocation.Account.Value, Attempts = attempts, NextAttemptAt = ToUnixMs(nextAttemptAt) },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> DeleteAsync(PendingRevocation revocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = SqliteDatabase.BeginImmediateTransaction(connection);
        var row = await FindRowAsync(connection, transaction, revocation.Account, cancellationToken);
        if (row is null || !HoldsToken(row, revocation, protector))
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { Account = revocation.Account.Value },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Stores <paramref name="revocation"/> as its account's entry inside the caller's transaction. An entry holding
    /// another token is never overwritten (that token may still be valid at Gorgias): that throws
    /// <see cref="ConcurrencyException"/>, and the caller's transaction rolls back.
    /// </summary>
    internal static async Task QueueAsync(SqliteConnection connection, SqliteTransaction transaction, PendingRevocation revocation,
        SecretProtector protector, CancellationToken cancellationToken)
    {
        var existing = await FindRowAsync(connection, transaction, revocation.Account, cancellationToken);
        if (existing is not null && !HoldsToken(existing, revocation, protector))
        {
            throw new ConcurrencyException(
                $"Account '{revocation.Account}' already has another refresh token queued for revocation; it is not overwritten. " +
                "Revoke or retry that one first.");
        }

        var parameters = new
        {
            Account = revocation.Account.Value,
            RefreshToken = protector.Protect(SecretProtector.PendingRevocationPurpose, revocation.Account, TokenField, revocation.RefreshToken),
            revocation.Attempts,
            NextAttemptAt = ToUnixMs(revocation.NextAttemptAt),
            CreatedAt = ToUnixMs(revocation.CreatedAt),
        };
        await connection.ExecuteAsync(new CommandDefinition(UpsertSql, parameters, transaction, cancellationToken: cancellationToken));
    }

    private static Task<PendingRevocationRow?> FindRowAsync(SqliteConnection connection, SqliteTransaction transaction,
        AccountName account, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<PendingRevocationRow>(
            new CommandDefinition(FindSql, new { Account = account.Value }, transaction, cancellationToken: cancellationToken));

    private static bool HoldsToken(PendingRevocationRow row, PendingRevocation revocation, SecretProtector protector)
    {
        var stored = protector.Unprotect(SecretProtector.PendingRevocationPurpose, revocation.Account, TokenField, row.RefreshToken);
        return ConstantTime.AreEqual(stored, revocation.RefreshToken);
    }

    private PendingRevocation ToDomain(PendingRevocationRow row)
    {
        var account = AccountName.Parse(row.Account);
        return new PendingRevocation(
            account,
            protector.Unprotect(SecretProtector.PendingRevocationPurpose, account, TokenField, row.RefreshToken),
            checked((int)row.Attempts),
            FromUnixMs(row.NextAttemptAt),
            FromUnixMs(row.CreatedAt));
    }

    [LoggerMessage(EventId = 1610, Level = LogLevel.Error,
        Message = "The refresh token queued for revocation for account {Account} cannot be decrypted; it is skipped and tried again at {NextAttemptAt:O}. Check DataProtection:KeysPath")]
    private static partial void LogUnreadable(ILogger logger, string account, DateTimeOffset nextAttemptAt, Exception exception);

    private sealed class PendingRevocationRow
    {
        public string Account { get; init; } = "";

        public byte[] RefreshToken { get; init; } = [];

        public long Attempts { get; init; }

        public long NextAttemptAt { get; init; }

        public long CreatedAt { get; init; }
    }
}

using System.Security.Cryptography;
using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Secrets;
using Gorgias.Integration.Infrastructure.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static Gorgias.Integration.Storage.Sqlite.SqlitePendingRevocationRows;
using static Gorgias.Integration.Storage.Sqlite.SqliteValues;

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>
/// Pending revocations in <c>pending_revocations</c>, the refresh token encrypted per account. Rows are written by
/// <see cref="SqliteInstallTransactions.RecordUninstallAsync"/> through <see cref="SqlitePendingRevocationRows.QueueAsync"/>. A change checks, under
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

    private const string RescheduleSql = """
        UPDATE pending_revocations SET attempts = @Attempts, next_attempt_at = @NextAttemptAt
        WHERE account = @Account;
        """;

    /// <summary>Served by <c>ix_pending_revocations_next_attempt_at</c>: no sort.</summary>
    private const string ListDueSql = SelectColumns + " WHERE next_attempt_at <= @Now ORDER BY next_attempt_at LIMIT @Limit;";

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
        return row is null ? null : ToDomain(row, protector);
    }

    public async Task<IReadOnlyList<PendingRevocation>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        // A writer's turn: an unreadable entry is postponed on this connection.
        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        var rows = await connection.QueryAsync<PendingRevocationRow>(new CommandDefinition(ListDueSql,
            new { Now = ToUnixMs(now), Limit = limit }, cancellationToken: cancellationToken));
        var due = new List<PendingRevocation>();
        foreach (var row in rows)
        {
            try
            {
                due.Add(ToDomain(row, protector));
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

    public async Task RescheduleAsync(PendingRevocation read, PendingRevocation next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(next);
        if (next.Account != read.Account || !string.Equals(next.RefreshToken, read.RefreshToken, StringComparison.Ordinal))
        {
            throw new ArgumentException("A reschedule changes the attempts and the due time of an entry, never its account or token.", nameof(next));
        }

        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        await using var transaction = SqliteDatabase.BeginImmediateTransaction(connection);
        var row = await FindRowAsync(connection, transaction, read.Account, cancellationToken);
        if (row is null || row.Attempts != read.Attempts || !HoldsToken(row, read, protector))
        {
            throw StoredConflicts.RevocationMovedOn(read);
        }

        await connection.ExecuteAsync(new CommandDefinition(RescheduleSql,
            new { Account = read.Account.Value, next.Attempts, NextAttemptAt = ToUnixMs(next.NextAttemptAt) },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task DeleteAsync(PendingRevocation revocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        await using var transaction = SqliteDatabase.BeginImmediateTransaction(connection);
        var row = await FindRowAsync(connection, transaction, revocation.Account, cancellationToken);
        if (row is null || !HoldsToken(row, revocation, protector))
        {
            throw StoredConflicts.RevocationGone(revocation);
        }

        await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { Account = revocation.Account.Value },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 1610, Level = LogLevel.Error,
        Message = "The refresh token queued for revocation for account {Account} cannot be decrypted; it is skipped and tried again at {NextAttemptAt:O}. Check DataProtection:KeysPath")]
    private static partial void LogUnreadable(ILogger logger, string account, DateTimeOffset nextAttemptAt, Exception exception);

}

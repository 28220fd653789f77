using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>
/// <see cref="IRefreshLease"/> on PostgreSQL: a transaction-scoped advisory lock on a key derived from the schema and
/// the account, in a transaction on a connection of its own, waited for at most <c>Gorgias:RefreshLeaseTimeout</c>
/// (<c>lock_timeout</c>). The server releases it when the transaction ends, and at once when the holder's connection
/// closes: an instance that dies holding it blocks nobody.
/// </summary>
internal sealed class PostgreSqlRefreshLease(PostgreSqlDatabase database, IOptions<GorgiasOptions> options) : IRefreshLease
{
    // 55P03 lock_not_available: lock_timeout passed while another holder kept the lock.
    private const string LockNotAvailable = "55P03";

    // 64 bits from the schema and the account: two schemas on one server do not wait for each other.
    private const string Lock = """
        SELECT set_config('lock_timeout', @Timeout, true);
        SELECT pg_advisory_xact_lock(hashtextextended('gorgias-refresh:' || @Schema || ':' || @Account, 0));
        """;

    private readonly string _timeout = ((long)options.Value.RefreshLeaseTimeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) + "ms";

    public async Task<IAsyncDisposable?> AcquireAsync(AccountName account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(Lock,
                new { Timeout = _timeout, database.Schema, Account = account.Value }, transaction, cancellationToken: cancellationToken));
            return new Held(connection, transaction);
        }
        catch (PostgresException e) when (e.SqlState == LockNotAvailable)
        {
            await connection.DisposeAsync();
            return null;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class Held(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            try
            {
                // Ending the transaction releases the lock; nothing was written in it.
                await transaction.RollbackAsync(CancellationToken.None);
            }
            finally
            {
                await transaction.DisposeAsync();
                await connection.DisposeAsync();
            }
        }
    }
}

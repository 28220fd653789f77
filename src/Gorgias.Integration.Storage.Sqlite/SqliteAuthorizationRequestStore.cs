using System.Globalization;
using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Authorization;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Secrets;
using Gorgias.Integration.Infrastructure.Storage;
using Microsoft.Data.Sqlite;
using static Gorgias.Integration.Storage.Sqlite.SqliteValues;

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>
/// Pending authorizations in <c>authorization_requests</c>, keyed by SHA-256 of the state (the state itself is
/// never stored); nonce and PKCE verifier encrypted per account.
/// </summary>
internal sealed class SqliteAuthorizationRequestStore(SqliteDatabase database, SecretProtector protector) : IAuthorizationRequestStore
{
    private const string InsertSql = """
        INSERT INTO authorization_requests
            (state_hash, account, nonce, code_verifier, redirect_uri, browser_binding, created_at, expires_at)
        VALUES (@StateHash, @Account, @Nonce, @CodeVerifier, @RedirectUri, @BrowserBinding, @CreatedAt, @ExpiresAt);
        """;

    // The cap check and the insert in one statement (one pooled open, one prepare, one step instead of two of each).
    // A writing statement takes SQLite's write lock before it reads, so the count it sees is the one it inserts after;
    // the count without WHERE is the page-by-page count of CountStoredSql. The cap (configuration, an int) is part of
    // the text, one kept statement per cap, so that it is no parameter to bind on every install start.
    private const string InsertBelowSqlFormat = """
        INSERT INTO authorization_requests
            (state_hash, account, nonce, code_verifier, redirect_uri, browser_binding, created_at, expires_at)
        SELECT @StateHash, @Account, @Nonce, @CodeVerifier, @RedirectUri, @BrowserBinding, @CreatedAt, @ExpiresAt
        WHERE (SELECT COUNT(*) FROM authorization_requests) < {0};
        """;

    // The statement for the last cap asked for (the cap comes from configuration: nearly always one value).
    private CapStatement? _insertBelow;

    // One statement finds, checks and deletes: of concurrent callers only the one whose DELETE removed the row
    // gets it back, so a state is single-use without a read-then-delete race. The account and browser checks are part
    // of it: a request from another browser or for another account deletes nothing (SECURITY.md row 39).
    private const string ConsumeSql = """
        DELETE FROM authorization_requests
        WHERE state_hash = @StateHash AND account = @Account AND browser_binding = @BrowserBinding AND expires_at > @Now
        RETURNING account AS Account, nonce AS Nonce, code_verifier AS CodeVerifier, redirect_uri AS RedirectUri,
                  browser_binding AS BrowserBinding, created_at AS CreatedAt, expires_at AS ExpiresAt;
        """;

    // Expired means now >= expires_at (AuthorizationRequest.IsExpiredAt): pending and purged never overlap.
    private const string CountPendingSql = "SELECT COUNT(*) FROM authorization_requests WHERE expires_at > @Now;";

    // No WHERE: SQLite counts the entries of the smallest index page by page (sqlite3BtreeCount) instead of stepping
    // through a range row by row; ~10 µs with 5,000 rows where CountPendingSql takes ~90 µs (docs/PERFORMANCE.md).
    private const string CountStoredSql = "SELECT COUNT(*) FROM authorization_requests;";

    private const string PurgeExpiredSql = "DELETE FROM authorization_requests WHERE expires_at <= @Now;";

    public async Task AddAsync(AuthorizationRequest request, CancellationToken cancellationToken) =>
        await InsertAsync(request, InsertSql, cancellationToken);

    public async Task<bool> TryAddBelowAsync(AuthorizationRequest request, int maxStored, CancellationToken cancellationToken) =>
        await InsertAsync(request, InsertBelowSql(maxStored), cancellationToken) == 1;

    private string InsertBelowSql(int maxStored)
    {
        var cached = _insertBelow;
        if (cached is null || cached.MaxStored != maxStored)
        {
            _insertBelow = cached = new CapStatement(maxStored, string.Format(CultureInfo.InvariantCulture, InsertBelowSqlFormat, maxStored));
        }

        return cached.Sql;
    }

    private sealed record CapStatement(int MaxStored, string Sql);

    // Every install start runs this: the writer's compiled statement with '@'-prefixed names, not Dapper, which names its
    // parameters without the prefix, so that binding each one tried three prefixed spellings (a string and its UTF-8 copy
    // each), and compiles the SQL again on every call.
    private async Task<int> InsertAsync(AuthorizationRequest request, string sql, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (nonce, verifier) = protector.ProtectAuthorizationRequest(request);

        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        var command = connection.Statement(sql);
        command.Bind("@StateHash", SqliteType.Blob, StoredSecrets.HashState(request.State));
        command.Bind("@Account", SqliteType.Text, request.Account.Value);
        command.Bind("@Nonce", SqliteType.Blob, nonce);
        command.Bind("@CodeVerifier", SqliteType.Blob, verifier);
        command.Bind("@RedirectUri", SqliteType.Text, request.RedirectUri);
        command.Bind("@BrowserBinding", SqliteType.Text, request.BrowserBinding);
        command.Bind("@CreatedAt", SqliteType.Integer, ToUnixMs(request.CreatedAt));
        command.Bind("@ExpiresAt", SqliteType.Integer, ToUnixMs(request.ExpiresAt));

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<AuthorizationRequest?> ConsumeAsync(string state, AccountName account, string browserBinding, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(browserBinding);
        if (state.Length is < AuthorizationRequest.MinStateLength or > AuthorizationRequest.MaxStateLength)
        {
            return null; // Could never have been issued.
        }

        // Every callback runs this: the writer's compiled statement, as the install start's insert.
        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        var command = connection.Statement(ConsumeSql);
        command.Bind("@StateHash", SqliteType.Blob, StoredSecrets.HashState(state));
        command.Bind("@Account", SqliteType.Text, account.Value);
        command.Bind("@BrowserBinding", SqliteType.Text, browserBinding);
        command.Bind("@Now", SqliteType.Integer, ToUnixMs(now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        // Columns in ConsumeSql's RETURNING order: account, nonce, code_verifier, redirect_uri, browser_binding, created_at, expires_at.
        return protector.RestoreAuthorizationRequest(state, account, (byte[])reader.GetValue(1), reader.IsDBNull(2) ? null : (byte[])reader.GetValue(2),
            reader.GetString(3), reader.GetString(4), FromUnixMs(reader.GetInt64(5)), FromUnixMs(reader.GetInt64(6)));
    }

    public async Task<int> CountPendingAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var count = await connection.ExecuteScalarAsync<long>(
            new CommandDefinition(CountPendingSql, new { Now = ToUnixMs(now) }, cancellationToken: cancellationToken));
        return checked((int)count);
    }

    public async Task<int> CountStoredAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = CountStoredSql;
        return checked((int)(long)(await command.ExecuteScalarAsync(cancellationToken))!);
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        return await connection.ExecuteAsync(
            new CommandDefinition(PurgeExpiredSql, new { Now = ToUnixMs(now) }, cancellationToken: cancellationToken));
    }
}

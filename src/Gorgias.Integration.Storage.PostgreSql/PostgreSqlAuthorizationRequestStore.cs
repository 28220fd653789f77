using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Authorization;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Secrets;
using Gorgias.Integration.Infrastructure.Storage;
using static Gorgias.Integration.Storage.PostgreSql.PostgreSqlValues;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>
/// Pending authorizations in <c>authorization_requests</c>, keyed by SHA-256 of the state (the state itself is
/// never stored); nonce and PKCE verifier encrypted per account.
/// </summary>
internal sealed class PostgreSqlAuthorizationRequestStore(PostgreSqlDatabase database, SecretProtector protector) : IAuthorizationRequestStore
{
    private const string InsertSql = """
        INSERT INTO {schema}.authorization_requests
            (state_hash, account, nonce, code_verifier, redirect_uri, browser_binding, created_at, expires_at)
        VALUES (@StateHash, @Account, @Nonce, @CodeVerifier, @RedirectUri, @BrowserBinding, @CreatedAt, @ExpiresAt);
        """;

    // One statement finds, checks and deletes: of concurrent callers only the one whose DELETE removed the row gets it
    // back (the others wait for its row lock, re-check, and find nothing), so a state is single-use without a
    // read-then-delete race. The account and browser checks are part of it: a request from another browser or for
    // another account deletes nothing (SECURITY.md row 39).
    private const string ConsumeSql = """
        DELETE FROM {schema}.authorization_requests
        WHERE state_hash = @StateHash AND account = @Account AND browser_binding = @BrowserBinding AND expires_at > @Now
        RETURNING account AS Account, nonce AS Nonce, code_verifier AS CodeVerifier, redirect_uri AS RedirectUri,
                  browser_binding AS BrowserBinding, created_at AS CreatedAt, expires_at AS ExpiresAt;
        """;

    // Expired means now >= expires_at (AuthorizationRequest.IsExpiredAt): pending and purged never overlap.
    private const string CountPendingSql = "SELECT COUNT(*) FROM {schema}.authorization_requests WHERE expires_at > @Now;";

    // No WHERE: the cheapest exact count PostgreSQL has (an index-only scan of the primary key). An estimate from
    // pg_class would be cheaper but may be below the pending count, which the contract forbids.
    private const string CountStoredSql = "SELECT COUNT(*) FROM {schema}.authorization_requests;";

    private const string PurgeExpiredSql = "DELETE FROM {schema}.authorization_requests WHERE expires_at <= @Now;";

    public async Task AddAsync(AuthorizationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (nonce, codeVerifier) = protector.ProtectAuthorizationRequest(request);
        var parameters = new
        {
            StateHash = StoredSecrets.HashState(request.State),
            Account = request.Account.Value,
            Nonce = nonce,
            CodeVerifier = codeVerifier,
            request.RedirectUri,
            request.BrowserBinding,
            CreatedAt = ToStored(request.CreatedAt),
            ExpiresAt = ToStored(request.ExpiresAt),
        };

        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(database.Sql(InsertSql), parameters, cancellationToken: cancellationToken));
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

        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AuthorizationRequestRow>(new CommandDefinition(database.Sql(ConsumeSql),
            new { StateHash = StoredSecrets.HashState(state), Account = account.Value, BrowserBinding = browserBinding, Now = ToStored(now) },
            cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        return protector.RestoreAuthorizationRequest(state, account, row.Nonce, row.CodeVerifier, row.RedirectUri, row.BrowserBinding,
            FromStored(row.CreatedAt), FromStored(row.ExpiresAt));
    }

    public async Task<int> CountPendingAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var count = await connection.ExecuteScalarAsync<long>(
            new CommandDefinition(database.Sql(CountPendingSql), new { Now = ToStored(now) }, cancellationToken: cancellationToken));
        return checked((int)count);
    }

    public async Task<int> CountStoredAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(database.Sql(CountStoredSql), cancellationToken: cancellationToken));
        return checked((int)count);
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            new CommandDefinition(database.Sql(PurgeExpiredSql), new { Now = ToStored(now) }, cancellationToken: cancellationToken));
    }

    private sealed class AuthorizationRequestRow
    {
        public string Account { get; init; } = "";

        public byte[] Nonce { get; init; } = [];

        public byte[]? CodeVerifier { get; init; }

        public string RedirectUri { get; init; } = "";

        public string BrowserBinding { get; init; } = "";

        public DateTime CreatedAt { get; init; }

        public DateTime ExpiresAt { get; init; }
    }
}

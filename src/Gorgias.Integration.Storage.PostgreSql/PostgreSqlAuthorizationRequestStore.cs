using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Authorization;
using Gorgias.Integration.Infrastructure.Storage;
using static Gorgias.Integration.Storage.PostgreSql.PostgreSqlValues;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>
/// Used authorization requests in <c>used_authorization_requests</c>, keyed by SHA-256 of the request's id (the id
/// itself is never stored), until they expire.
/// </summary>
internal sealed class PostgreSqlAuthorizationRequestStore(PostgreSqlDatabase database) : IAuthorizationRequestStore
{
    // One statement: of concurrent callers (any instance) only the one whose INSERT added the row sees a change; the
    // others wait on the primary key's entry until it commits, then do nothing. Single use without a read-then-write race.
    private const string ConsumeSql = """
        INSERT INTO {schema}.used_authorization_requests (state_hash, expires_at) VALUES (@StateHash, @ExpiresAt)
        ON CONFLICT (state_hash) DO NOTHING;
        """;

    // Expired means now >= expires_at (AuthorizationRequest.IsExpiredAt): a request purged is one refused as expired.
    private const string PurgeExpiredSql = "DELETE FROM {schema}.used_authorization_requests WHERE expires_at <= @Now;";

    public async Task<bool> TryConsumeAsync(AuthorizationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(database.Sql(ConsumeSql),
            new { StateHash = StoredSecrets.HashState(request.State), ExpiresAt = ToStored(request.ExpiresAt) },
            cancellationToken: cancellationToken)) == 1;
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            new CommandDefinition(database.Sql(PurgeExpiredSql), new { Now = ToStored(now) }, cancellationToken: cancellationToken));
    }
}

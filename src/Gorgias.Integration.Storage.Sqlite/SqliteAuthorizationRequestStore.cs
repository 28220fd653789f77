using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Authorization;
using Gorgias.Integration.Infrastructure.Storage;
using Microsoft.Data.Sqlite;
using static Gorgias.Integration.Storage.Sqlite.SqliteValues;

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>
/// Used authorization requests in <c>used_authorization_requests</c>, keyed by SHA-256 of the request's id (the id
/// itself is never stored), until they expire.
/// </summary>
internal sealed class SqliteAuthorizationRequestStore(SqliteDatabase database) : IAuthorizationRequestStore
{
    // One statement: of concurrent callers only the one whose INSERT added the row sees a change, so a request is
    // single-use without a read-then-write race (SQLite takes the write lock before it looks for the key).
    private const string ConsumeSql = """
        INSERT INTO used_authorization_requests (state_hash, expires_at) VALUES (@StateHash, @ExpiresAt)
        ON CONFLICT (state_hash) DO NOTHING;
        """;

    // Expired means now >= expires_at (AuthorizationRequest.IsExpiredAt): a request purged is one refused as expired.
    private const string PurgeExpiredSql = "DELETE FROM used_authorization_requests WHERE expires_at <= @Now;";

    public async Task<bool> TryConsumeAsync(AuthorizationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Every callback runs this: the writer's compiled statement.
        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        var command = connection.Statement(ConsumeSql);
        command.Bind("@StateHash", SqliteType.Blob, StoredSecrets.HashState(request.State));
        command.Bind("@ExpiresAt", SqliteType.Integer, ToUnixMs(request.ExpiresAt));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenForWriteAsync(cancellationToken);
        var command = connection.Statement(PurgeExpiredSql);
        command.Bind("@Now", SqliteType.Integer, ToUnixMs(now));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

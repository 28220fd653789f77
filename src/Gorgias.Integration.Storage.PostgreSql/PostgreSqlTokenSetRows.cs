using Dapper;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Gorgias.Integration.Infrastructure.Secrets;
using Gorgias.Integration.Infrastructure.Storage;
using Npgsql;
using static Gorgias.Integration.Storage.PostgreSql.PostgreSqlValues;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>
/// The SQL of <c>token_sets</c> shared by the repository (refreshes) and the install/uninstall transactions (creation
/// and deletion), so that neither reaches into the other.
/// </summary>
internal static class PostgreSqlTokenSetRows
{
    /// <summary>
    /// Replaces whatever token set the account has (a completed install or re-install), failure record cleared. A new
    /// row continues after the version an uninstall deleted (row 40): versions never repeat for an account.
    /// </summary>
    public const string UpsertSql = """
        INSERT INTO {schema}.token_sets (account, access_token, refresh_token, expires_at, scopes, token_type, issued_at, version)
        VALUES (@Account, @AccessToken, @RefreshToken, @ExpiresAt, @Scopes, @TokenType, @IssuedAt,
                COALESCE((SELECT retired_token_version FROM {schema}.installations WHERE account = @Account), 0) + 1)
        ON CONFLICT (account) DO UPDATE SET
            refresh_failures = 0,
            refresh_error = NULL,
            next_refresh_at = NULL,
            access_token = EXCLUDED.access_token,
            refresh_token = EXCLUDED.refresh_token,
            expires_at = EXCLUDED.expires_at,
            scopes = EXCLUDED.scopes,
            token_type = EXCLUDED.token_type,
            issued_at = EXCLUDED.issued_at,
            version = token_sets.version + 1;
        """;

    private const string DeleteTokenSetSql = "DELETE FROM {schema}.token_sets WHERE account = @Account AND version = @Version;";

    private const string CountTokenSetsSql = "SELECT COUNT(*) FROM {schema}.token_sets WHERE account = @Account;";

    private const string RetireTokenVersionSql = """
        UPDATE {schema}.installations SET retired_token_version = GREATEST(retired_token_version, @Version) WHERE account = @Account;
        """;

    /// <summary>Upserts <paramref name="tokens"/> inside the caller's transaction.</summary>
    public static Task UpsertAsync(PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction,
        TokenSet tokens, SecretProtector protector, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(database.Sql(UpsertSql), ToParameters(tokens, protector), transaction,
            cancellationToken: cancellationToken));

    /// <summary>
    /// Deletes exactly the token set the uninstall read (row 40): a set refreshed or replaced since holds a token the
    /// caller does not revoke, so that is a conflict. The deleted version is kept for the next install to continue after.
    /// </summary>
    public static async Task DeleteReadAsync(PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction,
        AccountName account, TokenSet? wiped, CancellationToken cancellationToken)
    {
        if (wiped is null)
        {
            var present = await connection.ExecuteScalarAsync<long>(new CommandDefinition(database.Sql(CountTokenSetsSql),
                new { Account = account.Value }, transaction, cancellationToken: cancellationToken));
            StoredConflicts.NoTokensUnread(present, account);
            return;
        }

        var parameters = new { Account = account.Value, wiped.Version };
        var deleted = await connection.ExecuteAsync(new CommandDefinition(database.Sql(DeleteTokenSetSql), parameters, transaction,
            cancellationToken: cancellationToken));
        StoredConflicts.TokenSetDeleted(deleted, account, wiped.Version);

        await connection.ExecuteAsync(new CommandDefinition(database.Sql(RetireTokenVersionSql), parameters, transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>The columns of <paramref name="tokens"/>, secrets encrypted.</summary>
    public static TokenSetParameters ToParameters(TokenSet tokens, SecretProtector protector)
    {
        var (accessToken, refreshToken) = protector.ProtectTokens(tokens);
        return new(
            tokens.Account.Value,
            accessToken,
            refreshToken,
            ToStored(tokens.ExpiresAt),
            JoinScopes(tokens.Scopes),
            tokens.TokenType,
            ToStored(tokens.IssuedAt),
            tokens.Version);
    }

    /// <summary>The parameters of the token-set statements, named as the SQL names them.</summary>
    public sealed record TokenSetParameters(string Account, byte[] AccessToken, byte[] RefreshToken, DateTimeOffset ExpiresAt,
        string Scopes, string TokenType, DateTimeOffset IssuedAt, long Version);
}

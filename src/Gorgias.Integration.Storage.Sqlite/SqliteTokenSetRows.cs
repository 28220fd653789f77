using Dapper;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Gorgias.Integration.Infrastructure.Secrets;
using Gorgias.Integration.Infrastructure.Storage;
using Microsoft.Data.Sqlite;
using static Gorgias.Integration.Storage.Sqlite.SqliteValues;

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>
/// The SQL of <c>token_sets</c> shared by the repository (refreshes) and the install/uninstall transactions (creation
/// and deletion), so that neither reaches into the other.
/// </summary>
internal static class SqliteTokenSetRows
{
    /// <summary>
    /// Replaces whatever token set the account has (a completed install or re-install), failure record cleared. A new
    /// row continues after the version an uninstall deleted (row 40): versions never repeat for an account.
    /// </summary>
    public const string UpsertSql = """
        INSERT INTO token_sets (account, access_token, refresh_token, expires_at, scopes, token_type, issued_at, version)
        VALUES (@Account, @AccessToken, @RefreshToken, @ExpiresAt, @Scopes, @TokenType, @IssuedAt,
                COALESCE((SELECT retired_token_version FROM installations WHERE account = @Account), 0) + 1)
        ON CONFLICT (account) DO UPDATE SET
            refresh_failures = 0,
            refresh_error = NULL,
            next_refresh_at = 0,
            access_token = excluded.access_token,
            refresh_token = excluded.refresh_token,
            expires_at = excluded.expires_at,
            scopes = excluded.scopes,
            token_type = excluded.token_type,
            issued_at = excluded.issued_at,
            version = token_sets.version + 1;
        """;

    private const string DeleteTokenSetSql = "DELETE FROM token_sets WHERE account = @Account AND version = @Version;";

    private const string CountTokenSetsSql = "SELECT COUNT(*) FROM token_sets WHERE account = @Account;";

    private const string RetireTokenVersionSql = """
        UPDATE installations SET retired_token_version = max(retired_token_version, @Version) WHERE account = @Account;
        """;

    /// <summary>Upserts <paramref name="tokens"/> inside the caller's transaction, with the writer's compiled statement.</summary>
    public static async Task UpsertAsync(SqliteKeptConnection connection, SqliteTransaction transaction, TokenSet tokens,
        SecretProtector protector, CancellationToken cancellationToken)
    {
        var (accessToken, refreshToken) = protector.ProtectTokens(tokens);
        var command = connection.Statement(UpsertSql, transaction);
        command.Bind("@Account", SqliteType.Text, tokens.Account.Value);
        command.Bind("@AccessToken", SqliteType.Blob, accessToken);
        command.Bind("@RefreshToken", SqliteType.Blob, refreshToken);
        command.Bind("@ExpiresAt", SqliteType.Integer, ToUnixMs(tokens.ExpiresAt));
        command.Bind("@Scopes", SqliteType.Text, JoinScopes(tokens.Scopes));
        command.Bind("@TokenType", SqliteType.Text, tokens.TokenType);
        command.Bind("@IssuedAt", SqliteType.Integer, ToUnixMs(tokens.IssuedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes exactly the token set the uninstall read (row 40): a set refreshed or replaced since holds a token the
    /// caller does not revoke, so that is a conflict. The deleted version is kept for the next install to continue after.
    /// </summary>
    public static async Task DeleteReadAsync(SqliteConnection connection, SqliteTransaction transaction, AccountName account,
        TokenSet? wiped, CancellationToken cancellationToken)
    {
        if (wiped is null)
        {
            var present = await connection.ExecuteScalarAsync<long>(new CommandDefinition(CountTokenSetsSql,
                new { Account = account.Value }, transaction, cancellationToken: cancellationToken));
            StoredConflicts.NoTokensUnread(present, account);
            return;
        }

        // secure_delete is on: the token ciphertext is overwritten, not just unlinked (SECURITY.md row 30).
        var parameters = new { Account = account.Value, wiped.Version };
        var deleted = await connection.ExecuteAsync(new CommandDefinition(DeleteTokenSetSql, parameters, transaction,
            cancellationToken: cancellationToken));
        StoredConflicts.TokenSetDeleted(deleted, account, wiped.Version);

        await connection.ExecuteAsync(new CommandDefinition(RetireTokenVersionSql, parameters, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The columns of <paramref name="tokens"/>, secrets encrypted.</summary>
    public static object ToParameters(TokenSet tokens, SecretProtector protector)
    {
        var (accessToken, refreshToken) = protector.ProtectTokens(tokens);
        return new
        {
            Account = tokens.Account.Value,
            AccessToken = accessToken,
            RefreshToken = refreshToken,
            ExpiresAt = ToUnixMs(tokens.ExpiresAt),
            Scopes = JoinScopes(tokens.Scopes),
            tokens.TokenType,
            IssuedAt = ToUnixMs(tokens.IssuedAt),
            tokens.Version,
        };
    }
}

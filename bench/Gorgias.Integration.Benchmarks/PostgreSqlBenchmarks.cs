using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Gorgias.Integration.Domain.Authorization;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Gorgias.Integration.Infrastructure.Secrets;
using Gorgias.Integration.Storage.PostgreSql;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace Gorgias.Integration.Benchmarks;

/// <summary>
/// The PostgreSQL adapter against raw Npgsql running the same statements on the same pooled data source (ciphertexts
/// computed once for the baseline): a token refresh save, and the storage work of a whole install (record the used
/// authorization request, load the installation, write installation and token set in one transaction). Needs a
/// server: GORGIAS_TEST_POSTGRES (./build/postgres.sh starts one). Accounts cycle through 1,000 so tables keep their size.
/// </summary>
[MemoryDiagnoser]
public class PostgreSqlBenchmarks
{
    private const int Accounts = 1_000;

    private PostgreSqlDatabase _db = null!;
    private PostgreSqlTokenSetRepository _tokens = null!;
    private PostgreSqlInstallationRepository _installations = null!;
    private PostgreSqlInstallTransactions _transactions = null!;
    private PostgreSqlAuthorizationRequestStore _requests = null!;
    private TokenSet[] _current = [];
    private byte[] _cipher = [];
    private long[] _rawVersions = [];
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var server = Environment.GetEnvironmentVariable("GORGIAS_TEST_POSTGRES")
            ?? throw new InvalidOperationException("GORGIAS_TEST_POSTGRES is not set: source build/postgres.sh and run postgres_start first.");
        _db = new PostgreSqlDatabase(NpgsqlDataSource.Create(server), "bench_" + Guid.NewGuid().ToString("N")[..8]);
        var protector = new SecretProtector(new EphemeralDataProtectionProvider());
        _tokens = new(_db, protector);
        _installations = new(_db);
        _transactions = new(_db, protector);
        _requests = new(_db);
        _cipher = protector.Protect(SecretProtector.TokenSetPurpose, AccountName.Parse("raw0"), "access_token", Secret());
        _current = new TokenSet[Accounts];
        _rawVersions = new long[Accounts];
        for (var i = 0; i < Accounts; i++)
        {
            _current[i] = await InstallAsync($"acct{i}");
            await InstallAsync($"raw{i}");
            _rawVersions[i] = 1;
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await using (var connection = await _db.DataSource.OpenConnectionAsync())
        await using (var drop = new NpgsqlCommand($"DROP SCHEMA {_db.Schema} CASCADE;", connection))
        {
            await drop.ExecuteNonQueryAsync();
        }

        await _db.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public async Task RefreshSave_RawNpgsql()
    {
        var i = _next++ % Accounts;
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        await using var update = new NpgsqlCommand(_db.Sql("""
            UPDATE {schema}.token_sets
            SET access_token = $1, refresh_token = $2, expires_at = $3, scopes = $4, token_type = $5, issued_at = $6,
                version = version + 1, refresh_failures = 0, refresh_error = NULL, next_refresh_at = NULL
            WHERE account = $7 AND version = $8 RETURNING version;
            """), connection);
        var now = DateTimeOffset.UtcNow;
        update.Parameters.Add(new() { Value = _cipher });
        update.Parameters.Add(new() { Value = _cipher });
        update.Parameters.Add(new() { Value = now.AddHours(1) });
        update.Parameters.Add(new() { Value = "openid offline" });
        update.Parameters.Add(new() { Value = "Bearer" });
        update.Parameters.Add(new() { Value = now });
        update.Parameters.Add(new() { Value = $"raw{i}" });
        update.Parameters.Add(new() { Value = _rawVersions[i] });
        _rawVersions[i] = (long)(await update.ExecuteScalarAsync())!;
    }

    [Benchmark]
    public async Task RefreshSave_Adapter()
    {
        var i = _next++ % Accounts;
        _current[i] = await _tokens.SaveAsync(_current[i].Refreshed(Grant(), DateTimeOffset.UtcNow), CancellationToken.None);
    }

    [Benchmark]
    public async Task Install_RawNpgsql()
    {
        var account = $"raw{_next++ % Accounts}";
        var now = DateTimeOffset.UtcNow;
        var hash = RandomNumberGenerator.GetBytes(32);
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        await Run(connection, null, _db.Sql("""
            INSERT INTO {schema}.used_authorization_requests (state_hash, expires_at) VALUES ($1, $2) ON CONFLICT (state_hash) DO NOTHING;
            """), hash, now.AddMinutes(10));
        await Run(connection, null, _db.Sql("SELECT version FROM {schema}.installations WHERE account = $1;"), account);
        await using var transaction = await connection.BeginTransactionAsync();
        await Run(connection, transaction, _db.Sql("UPDATE {schema}.installations SET status = 1, updated_at = $2, version = version + 1 WHERE account = $1;"), account, now);
        await Run(connection, transaction, _db.Sql("""
            INSERT INTO {schema}.token_sets (account, access_token, refresh_token, expires_at, scopes, token_type, issued_at, version)
            VALUES ($1, $2, $2, $3, 'openid', 'Bearer', $4, COALESCE((SELECT retired_token_version FROM {schema}.installations WHERE account = $1), 0) + 1)
            ON CONFLICT (account) DO UPDATE SET refresh_failures = 0, refresh_error = NULL, next_refresh_at = NULL,
                access_token = EXCLUDED.access_token, refresh_token = EXCLUDED.refresh_token, expires_at = EXCLUDED.expires_at,
                scopes = EXCLUDED.scopes, token_type = EXCLUDED.token_type, issued_at = EXCLUDED.issued_at, version = token_sets.version + 1;
            """), account, _cipher, now.AddHours(1), now);
        await transaction.CommitAsync();
    }

    [Benchmark]
    public async Task Install_Adapter()
    {
        var i = _next++ % Accounts;
        var now = DateTimeOffset.UtcNow;
        var request = AuthorizationRequest.Create(AccountName.Parse($"acct{i}"), Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
            Secret(), Secret() + Secret(), "https://app.example.test/cb", "binding", now, AuthorizationRequest.DefaultLifetime);
        if (!await _requests.TryConsumeAsync(request, CancellationToken.None))
        {
            throw new InvalidOperationException("A new request was refused as used.");
        }

        var installation = (await _installations.FindAsync(request.Account, CancellationToken.None))!;
        installation.Activate(["openid"], now);
        await _transactions.RecordInstallAsync(installation, TokenSet.Issue(installation.Account, Grant(), now), CancellationToken.None);
        _current[i] = (await _tokens.FindAsync(installation.Account, CancellationToken.None))!;
    }

    private async Task<TokenSet> InstallAsync(string account)
    {
        var installation = Installation.Start(AccountName.Parse(account), DateTimeOffset.UtcNow);
        installation.Activate(["openid"], DateTimeOffset.UtcNow);
        await _transactions.RecordInstallAsync(installation, TokenSet.Issue(installation.Account, Grant(), DateTimeOffset.UtcNow), CancellationToken.None);
        return (await _tokens.FindAsync(installation.Account, CancellationToken.None))!;
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new() { Value = value });
        }

        return command;
    }

    private static async Task Run(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new() { Value = value });
        }

        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
        }
    }

    private static TokenGrant Grant() => new(Secret(), Secret(), 3600, ["openid"], "Bearer");

    private static string Secret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
}

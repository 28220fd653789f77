using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Gorgias.Integration.Benchmarks.Support;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Secrets;
using Gorgias.Integration.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Benchmarks;

/// <summary>
/// One whole install: BeginInstall and CompleteAuthorization through the mediator, each in its own DI scope as two HTTP
/// requests would be, on a real SQLite file with real Data Protection, against <see cref="FakeAuthorizationServer"/>.
/// Baseline (<see cref="RawSqlAndCrypto"/>): the same SQL with raw Microsoft.Data.Sqlite commands on one open connection
/// (record the used request, read the installation, upsert installation and token set in one transaction) plus the
/// cryptography an install cannot skip: three random values (request id, nonce, PKCE verifier), four SHA-256 hashes
/// (browser secret at start and at callback, PKCE challenge, the request id for its record) and the four Data Protection
/// operations (the state protected, then unprotected; access and refresh token protected) through the same
/// <see cref="SecretProtector"/>. So the ratio is the framework's own overhead. <see cref="RawSql"/> is the SQL alone
/// (ciphertexts computed once), for reference. Accounts are re-installed round-robin from 1,000 so the tables keep their
/// size. <see cref="UsedBacklog"/> unexpired used requests of other installs are recorded meanwhile. Target: at most
/// 1.5× the baseline.
/// </summary>
[MemoryDiagnoser]
public class InstallBenchmarks
{
    private const int Accounts = 1_000;

    private const string ConsumeSql = """
        INSERT INTO used_authorization_requests (state_hash, expires_at) VALUES ($hash, $expires) ON CONFLICT (state_hash) DO NOTHING;
        """;

    // The integration runs this as well: loading the installation to change it.
    private const string FindInstallationSql = """
        SELECT account, status, scopes, created_at, updated_at, activated_at, version FROM installations WHERE account = $account;
        """;

    private const string UpsertInstallationSql = """
        INSERT INTO installations (account, status, scopes, created_at, updated_at, activated_at, version)
        VALUES ($account, 1, $scopes, $now, $now, $now, 1)
        ON CONFLICT (account) DO UPDATE SET status = 1, scopes = excluded.scopes, updated_at = excluded.updated_at,
            activated_at = excluded.activated_at, version = installations.version + 1;
        """;

    private BenchStorage _storage = null!;
    private ServiceProvider _services = null!;
    private string[] _accounts = [];
    private int _next;

    private SqliteConnection _raw = null!;
    private SqliteCommand _consume = null!;
    private SqliteCommand _findInstallation = null!;
    private SqliteCommand _upsertInstallation = null!;
    private SqliteCommand _upsertTokens = null!;
    private readonly byte[] _stateBytes = new byte[32];
    private SecretProtector _protector = null!;
    private string _accessToken = "";
    private string _refreshToken = "";

    /// <summary>Unexpired used requests of other installs while the install runs.</summary>
    [Params(0, 5_000)]
    public int UsedBacklog { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _storage = new BenchStorage();
        _services = Composition.BuildCore(_storage, new FakeAuthorizationServer(TimeProvider.System));
        _accounts = [.. Enumerable.Range(0, Accounts).Select(i => $"shop-{i:D4}")];
        foreach (var account in _accounts)
        {
            await Composition.InstallAsync(_services, account);
        }

        var baselineFile = Path.Combine(_storage.Folder, "baseline.db");
        await new SqliteDatabase($"Data Source={baselineFile}").EnsureMigratedAsync(CancellationToken.None);
        var expires = DateTimeOffset.UtcNow.AddHours(2);
        UsedRequestBacklog.Seed(_storage.ConnectionString, UsedBacklog, expires);
        UsedRequestBacklog.Seed($"Data Source={baselineFile}", UsedBacklog, expires);
        PrepareRaw(baselineFile);
        for (var i = 0; i < Accounts; i++)
        {
            RawSql(); // every account installed once in the baseline file too
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        foreach (var command in new[] { _consume, _findInstallation, _upsertInstallation, _upsertTokens })
        {
            await command.DisposeAsync();
        }

        await _raw.DisposeAsync();
        await _services.DisposeAsync();
        _storage.Dispose();
    }

    [Benchmark]
    public async Task<bool> InstallThroughMediator()
    {
        return await Composition.InstallAsync(_services, NextAccount());
    }

    [Benchmark]
    public bool RawSql()
    {
        var account = NextAccount();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        RandomNumberGenerator.Fill(_stateBytes);
        var hash = SHA256.HashData(_stateBytes);

        _consume.Parameters["$hash"].Value = hash;
        _consume.Parameters["$expires"].Value = now + 600_000;
        if (_consume.ExecuteNonQuery() != 1)
        {
            throw new InvalidOperationException("A new request was refused as used.");
        }

        _findInstallation.Parameters["$account"].Value = account;
        using (var reader = _findInstallation.ExecuteReader())
        {
            _ = reader.Read();
        }

        using var transaction = _raw.BeginTransaction(deferred: false);
        _upsertInstallation.Transaction = transaction;
        _upsertInstallation.Parameters["$account"].Value = account;
        _upsertInstallation.Parameters["$now"].Value = now;
        _upsertInstallation.ExecuteNonQuery();
        _upsertTokens.Transaction = transaction;
        _upsertTokens.Parameters["@Account"].Value = account;
        _upsertTokens.Parameters["@ExpiresAt"].Value = now + 86_400_000;
        _upsertTokens.Parameters["@IssuedAt"].Value = now;
        _upsertTokens.ExecuteNonQuery();
        transaction.Commit();
        return true;
    }

    [Benchmark(Baseline = true)]
    public bool RawSqlAndCrypto()
    {
        var name = NextAccount();
        var account = AccountName.Parse(name);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // Start: three random values, the browser and challenge hashes, the request packed (raw bytes) and protected into the state.
        Span<byte> random = stackalloc byte[3 * 32];
        RandomNumberGenerator.Fill(random);
        var id = Base64Url.EncodeToString(random[..32]);
        var nonce = Base64Url.EncodeToString(random.Slice(32, 32));
        var verifier = Base64Url.EncodeToString(random[64..]);
        var binding = SHA256.HashData(Encoding.UTF8.GetBytes(Composition.BrowserId));
        _ = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var expires = now + 600_000;
        var payload = new byte[17 + 4 * 35];
        payload[0] = 1;
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(1), now);
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(9), expires);
        for (var field = 0; field < 4; field++)
        {
            var at = 17 + (field * 35);
            payload[at] = 2;
            BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(at + 1), 32);
            (field < 3 ? random.Slice(field * 32, 32) : binding).CopyTo(payload.AsSpan(at + 3));
        }

        var state = Base64Url.EncodeToString(_protector.Protect(SecretProtector.AuthorizationStatePurpose, account, "state", payload));

        // Callback: the state opened, the browser compared, the request id hashed and recorded as used.
        var opened = _protector.TryUnprotect(SecretProtector.AuthorizationStatePurpose, account, "state", Base64Url.DecodeFromChars(state))!;
        if (Base64Url.EncodeToString(opened.AsSpan(17 + 35 + 3, 32)) != nonce || Base64Url.EncodeToString(opened.AsSpan(17 + 70 + 3, 32)) != verifier
            || !opened.AsSpan(17 + 105 + 3, 32).SequenceEqual(SHA256.HashData(Encoding.UTF8.GetBytes(Composition.BrowserId))))
        {
            throw new InvalidOperationException("The state did not carry the request.");
        }

        _consume.Parameters["$hash"].Value = SHA256.HashData(Encoding.UTF8.GetBytes(Base64Url.EncodeToString(opened.AsSpan(17 + 3, 32))));
        _consume.Parameters["$expires"].Value = expires;
        if (_consume.ExecuteNonQuery() != 1)
        {
            throw new InvalidOperationException("A new request was refused as used.");
        }

        _findInstallation.Parameters["$account"].Value = name;
        using (var reader = _findInstallation.ExecuteReader())
        {
            _ = reader.Read();
        }

        using var transaction = _raw.BeginTransaction(deferred: false);
        _upsertInstallation.Transaction = transaction;
        _upsertInstallation.Parameters["$account"].Value = name;
        _upsertInstallation.Parameters["$now"].Value = now;
        _upsertInstallation.ExecuteNonQuery();
        _upsertTokens.Transaction = transaction;
        _upsertTokens.Parameters["@Account"].Value = name;
        _upsertTokens.Parameters["@AccessToken"].Value = _protector.Protect(SecretProtector.TokenSetPurpose, account, "access_token", _accessToken);
        _upsertTokens.Parameters["@RefreshToken"].Value = _protector.Protect(SecretProtector.TokenSetPurpose, account, "refresh_token", _refreshToken);
        _upsertTokens.Parameters["@ExpiresAt"].Value = now + 86_400_000;
        _upsertTokens.Parameters["@IssuedAt"].Value = now;
        _upsertTokens.ExecuteNonQuery();
        transaction.Commit();
        return true;
    }

    private void PrepareRaw(string file)
    {
        // The same per-connection settings as SqliteDatabase (WAL is in the file), once: the connection stays open.
        _raw = new SqliteConnection($"Data Source={file}");
        _raw.Open();
        using (var pragmas = _raw.CreateCommand())
        {
            pragmas.CommandText = "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; PRAGMA synchronous = NORMAL;";
            pragmas.ExecuteNonQuery();
        }

        // Ciphertexts of the real sizes, computed once: the baseline is the SQL alone.
        var protector = _protector = _services.GetRequiredService<SecretProtector>();
        var acme = AccountName.Parse("acme");
        _accessToken = Jwt.Mint("acme", DateTimeOffset.UtcNow.AddHours(24));
        _refreshToken = Jwt.NewRefreshToken();
        var accessToken = protector.Protect(SecretProtector.TokenSetPurpose, acme, "access_token", _accessToken);
        var refreshToken = protector.Protect(SecretProtector.TokenSetPurpose, acme, "refresh_token", _refreshToken);

        _consume = Command(ConsumeSql);
        _consume.Parameters.Add("$hash", SqliteType.Blob);
        _consume.Parameters.Add("$expires", SqliteType.Integer);

        _findInstallation = Command(FindInstallationSql);
        _findInstallation.Parameters.Add("$account", SqliteType.Text);

        _upsertInstallation = Command(UpsertInstallationSql);
        _upsertInstallation.Parameters.Add("$account", SqliteType.Text);
        _upsertInstallation.Parameters.AddWithValue("$scopes", "openid email profile offline account:read");
        _upsertInstallation.Parameters.Add("$now", SqliteType.Integer);

        _upsertTokens = Command(SqliteTokenSetRows.UpsertSql);
        _upsertTokens.Parameters.Add("@Account", SqliteType.Text);
        _upsertTokens.Parameters.AddWithValue("@AccessToken", accessToken);
        _upsertTokens.Parameters.AddWithValue("@RefreshToken", refreshToken);
        _upsertTokens.Parameters.Add("@ExpiresAt", SqliteType.Integer);
        _upsertTokens.Parameters.AddWithValue("@Scopes", "openid email profile offline account:read");
        _upsertTokens.Parameters.AddWithValue("@TokenType", "Bearer");
        _upsertTokens.Parameters.Add("@IssuedAt", SqliteType.Integer);
    }

    private SqliteCommand Command(string sql)
    {
        var command = _raw.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private string NextAccount() => _accounts[_next++ % _accounts.Length];
}

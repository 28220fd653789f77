using System.Net;
using BenchmarkDotNet.Attributes;
using Gorgias.Integration.Benchmarks.Support;
using Microsoft.AspNetCore.Builder;

namespace Gorgias.Integration.Benchmarks;

/// <summary>
/// <c>GET /oauth/install?account=acme</c> over loopback HTTP/1.1 (one kept-alive connection, no cookie: a browser's
/// first visit) against the Host's pipeline on Kestrel at 127.0.0.1, vs a bare minimal-API endpoint on Kestrel at
/// 127.0.0.1 that only answers 302 (baseline). An install start writes nothing (its request travels in the state).
/// </summary>
[MemoryDiagnoser]
public class HttpInstallBenchmarks
{
    private BenchStorage _storage = null!;
    private WebApplication _host = null!;
    private WebApplication _bare = null!;
    private HttpClient _client = null!;
    private Uri _hostInstall = null!;
    private Uri _bareInstall = null!;
    private Uri _hostRejected = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _storage = new BenchStorage();
        Uri hostAddress, bareAddress;
        (_host, hostAddress) = await Composition.StartHostAsync(_storage, new FakeAuthorizationServer(TimeProvider.System));
        (_bare, bareAddress) = await Composition.StartBareAsync(_storage.Folder);
        _hostInstall = new Uri(hostAddress, "/oauth/install?account=acme");
        _bareInstall = new Uri(bareAddress, "/oauth/install?account=acme");
        _hostRejected = new Uri(hostAddress, "/oauth/install?account=-acme");
#pragma warning disable CA2000 // the client owns the handler and is disposed in cleanup
        _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
#pragma warning restore CA2000
        await BareRedirect();
        await HostInstall();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _client.Dispose();
        await _host.StopAsync();
        await _host.DisposeAsync();
        await _bare.StopAsync();
        await _bare.DisposeAsync();
        _storage.Dispose();
    }

    [Benchmark(Baseline = true)]
    public async Task<HttpStatusCode> BareRedirect() => await GetAsync(_bareInstall);

    [Benchmark]
    public async Task<HttpStatusCode> HostInstall() => await GetAsync(_hostInstall);

    /// <summary>
    /// The same pipeline for an account the handler refuses (rate limit, cookie, mediator, the handler's check, the error
    /// page): everything <see cref="HostInstall"/> does but the random values and the state's Data Protection operation.
    /// </summary>
    [Benchmark]
    public async Task<HttpStatusCode> HostRejected()
    {
        using var response = await _client.GetAsync(_hostRejected, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode == HttpStatusCode.BadRequest
            ? response.StatusCode
            : throw new InvalidOperationException($"{_hostRejected} answered {(int)response.StatusCode}.");
    }

    private async Task<HttpStatusCode> GetAsync(Uri uri)
    {
        using var response = await _client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode == HttpStatusCode.Redirect
            ? response.StatusCode
            : throw new InvalidOperationException($"{uri} answered {(int)response.StatusCode}.");
    }
}

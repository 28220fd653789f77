using BenchmarkDotNet.Attributes;
using Gorgias.Integration.Application.Installations.BeginInstall;
using Gorgias.Integration.Application.Installations.CompleteAuthorization;
using Gorgias.Integration.Benchmarks.Support;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Benchmarks;

/// <summary>
/// The cost of the mediator and its pipeline (logging, then validation) around real commands: BeginInstall then
/// CompleteAuthorization for one of 1,000 accounts (a re-install, so the tables stay the same size), sent through
/// <see cref="ISender"/> vs handed to the two handlers directly (baseline). Target: Send at most 1.5× the baseline.
/// </summary>
[MemoryDiagnoser]
public class MediatorBenchmarks
{
    private const int Accounts = 1_000;

    private BenchStorage _storage = null!;
    private ServiceProvider _services = null!;
    private AsyncServiceScope _scope;
    private ISender _sender = null!;
    private BeginInstallHandler _beginHandler = null!;
    private CompleteAuthorizationHandler _completeHandler = null!;
    private string[] _accounts = [];
    private int _next;

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

        _scope = _services.CreateAsyncScope();
        _sender = _scope.ServiceProvider.GetRequiredService<ISender>();
        _beginHandler = ActivatorUtilities.CreateInstance<BeginInstallHandler>(_scope.ServiceProvider);
        _completeHandler = ActivatorUtilities.CreateInstance<CompleteAuthorizationHandler>(_scope.ServiceProvider);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _scope.DisposeAsync();
        await _services.DisposeAsync();
        _storage.Dispose();
    }

    [Benchmark(Baseline = true)]
    public async Task<bool> Handlers()
    {
        var account = NextAccount();
        var begin = Composition.Check(await _beginHandler.Handle(new BeginInstallCommand(account, Composition.BrowserId), CancellationToken.None));
        var command = new CompleteAuthorizationCommand(account, Composition.StateOf(begin.AuthorizeUri), "code", null, Composition.BrowserId);
        return Composition.Check(await _completeHandler.Handle(command, CancellationToken.None)).IsReinstall;
    }

    [Benchmark]
    public async Task<bool> Send()
    {
        var account = NextAccount();
        var begin = Composition.Check(await _sender.Send(new BeginInstallCommand(account, Composition.BrowserId)));
        var command = new CompleteAuthorizationCommand(account, Composition.StateOf(begin.AuthorizeUri), "code", null, Composition.BrowserId);
        return Composition.Check(await _sender.Send(command)).IsReinstall;
    }

    /// <summary>As the Web adapter sends: each command in its own DI scope (handlers, behaviours and validators resolved per scope).</summary>
    [Benchmark]
    public async Task<bool> SendScopePerCommand()
    {
        return await Composition.InstallAsync(_services, NextAccount());
    }

    private string NextAccount() => _accounts[_next++ % _accounts.Length];
}

using System.Collections.Concurrent;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Installations.RunMaintenance;
using Gorgias.Integration.Application.Notifications;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Domain.Authorization;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Background;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Application.Tests.Tokens;

/// <summary>
/// Watches maintenance cycles from outside, through the ports a cycle uses: the listing of expiring accounts starts
/// one, the purge of abandoned installs that follows ends it, and "access token refreshed" notifications count its refreshes.
/// Production code has no hook for this.
/// </summary>
internal sealed class MaintenanceObserver
{
    private readonly ConcurrentDictionary<int, TaskCompletionSource<(int Listed, int Refreshed)>> _cycles = new();
    private int _listed;
    private int _refreshes;
    private int _refreshesBefore;
    private int _ended;
    private int _inCycle;

    /// <summary>Sends one cycle, with the options the worker would use, through the mediator.</summary>
    public static Task<MaintenanceReport> RunMaintenanceAsync(IntegrationCore core) =>
        core.SendAsync(core.Services.GetRequiredService<IOptions<BackgroundRefreshOptions>>().Value.ToCommand());

    /// <summary>Completes when cycle <paramref name="index"/> (0-based) has ended.</summary>
    public Task<(int Listed, int Refreshed)> Completed(int index) => Cycle(index).Task;

    public void Register(IServiceCollection services)
    {
        Decorate<IAccessQueries>(services, inner => new ListingWatch(inner, this));
        Decorate<IAuthorizationRequestStore>(services, inner => new PurgeWatch(inner, this));
        services.AddSingleton<INotificationHandler<AccessTokenRefreshedNotification>>(new RefreshWatch(this));
    }

    private TaskCompletionSource<(int Listed, int Refreshed)> Cycle(int index) =>
        _cycles.GetOrAdd(index, static _ => new TaskCompletionSource<(int, int)>(TaskCreationOptions.RunContinuationsAsynchronously));

    private void CycleEnded()
    {
        // BeginInstall purges too; only a purge after a listing ends a cycle.
        if (Interlocked.Exchange(ref _inCycle, 0) == 0)
        {
            return;
        }

        var refreshes = Volatile.Read(ref _refreshes);
        var index = Interlocked.Increment(ref _ended) - 1;
        Cycle(index).TrySetResult((Volatile.Read(ref _listed), refreshes - _refreshesBefore));
        _refreshesBefore = refreshes;
    }

    private static void Decorate<T>(IServiceCollection services, Func<T, T> decorate)
        where T : class
    {
        var descriptor = services.Last(d => d.ServiceType == typeof(T));
        services.Add(ServiceDescriptor.Describe(typeof(T), provider =>
        {
            var inner = descriptor.ImplementationInstance as T
                ?? (descriptor.ImplementationFactory is { } factory
                    ? (T)factory(provider)
                    : (T)ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!));
            return decorate(inner);
        }, descriptor.Lifetime));
    }

    private sealed class RefreshWatch(MaintenanceObserver observer) : INotificationHandler<AccessTokenRefreshedNotification>
    {
        public ValueTask Handle(AccessTokenRefreshedNotification notification, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref observer._refreshes);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class ListingWatch(IAccessQueries inner, MaintenanceObserver observer) : IAccessQueries
    {
        public Task<AccessStamp?> FindAccessStampAsync(AccountName account, CancellationToken cancellationToken) =>
            inner.FindAccessStampAsync(account, cancellationToken);

        public async Task<IReadOnlyList<AccountName>> ListExpiringAsync(DateTimeOffset expiringBefore, DateTimeOffset now, int limit, CancellationToken cancellationToken)
        {
            var accounts = await inner.ListExpiringAsync(expiringBefore, now, limit, cancellationToken);
            Volatile.Write(ref observer._listed, accounts.Count);
            Volatile.Write(ref observer._inCycle, 1);
            return accounts;
        }
    }

    private sealed class PurgeWatch(IAuthorizationRequestStore inner, MaintenanceObserver observer) : IAuthorizationRequestStore
    {
        public Task<bool> TryConsumeAsync(AuthorizationRequest request, CancellationToken cancellationToken) => inner.TryConsumeAsync(request, cancellationToken);

        public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
        {
            var purged = await inner.PurgeExpiredAsync(now, cancellationToken);
            observer.CycleEnded();
            return purged;
        }
    }
}

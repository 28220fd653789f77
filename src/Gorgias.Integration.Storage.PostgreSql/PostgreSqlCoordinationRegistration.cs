using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>What instances sharing one PostgreSQL database coordinate through, beside the storage itself.</summary>
internal static class PostgreSqlCoordinationRegistration
{
    /// <summary>
    /// Registers the refresh lease (an advisory lock, <see cref="PostgreSqlRefreshLease"/>), the change announcements
    /// (<c>NOTIFY</c>) and their listener, in place of the core's in-process defaults but not over a host's own.
    /// Needs the <see cref="PostgreSqlDatabase"/> singleton the storage registers.
    /// </summary>
    internal static IServiceCollection AddPostgreSqlCoordination(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PostgreSqlChangeChannel>();
        services.ReplaceInProcessDefault<IRefreshLease, PostgreSqlRefreshLease>(typeof(InProcessRefreshLease));
        services.ReplaceInProcessDefault<ITokenChangeSignal, PostgreSqlTokenChangeSignal>(typeof(NoTokenChangeSignal));
        services.TryAddSingleton<PostgreSqlChangeListener>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<PostgreSqlChangeListener>());
        return services;
    }
}

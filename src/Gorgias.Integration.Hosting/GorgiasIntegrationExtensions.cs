using Gorgias.Integration.Application;
using Gorgias.Integration.Infrastructure;
using Gorgias.Integration.Infrastructure.Background;
using Gorgias.Integration.Sandbox;
using Gorgias.Integration.Storage.PostgreSql;
using Gorgias.Integration.Storage.Sqlite;
using Gorgias.Integration.Web;
using Gorgias.Integration.Web.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration;

/// <summary>The one entry point: everything the integration needs, registered and mapped in two calls.</summary>
public static class GorgiasIntegrationExtensions
{
    /// <summary>
    /// Registers the use cases, the storage (<see cref="GorgiasIntegrationOptions.Storage"/> or <c>Integration:Storage</c>:
    /// SQLite by default, or PostgreSQL; both at <c>ConnectionStrings:Integration</c>), Data Protection for tokens at rest,
    /// the Gorgias HTTP clients (<c>Gorgias:*</c>), background maintenance, log redaction and, when asked for, the
    /// sandbox. <paramref name="configure"/> opts out of single pieces (<see cref="GorgiasIntegrationOptions"/>).
    /// </summary>
    public static WebApplicationBuilder AddGorgiasIntegration(this WebApplicationBuilder builder, Action<GorgiasIntegrationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new GorgiasIntegrationOptions();
        configure?.Invoke(options);
        var sandbox = options.Sandbox ?? builder.Configuration.GetValue<bool>("Gorgias:Sandbox");
        if (sandbox)
        {
            if (SandboxDefaults.FindProblem(builder.Environment) is { } problem)
            {
                throw new InvalidOperationException(problem);
            }

            SandboxDefaults.Apply(builder.Configuration, options.SandboxPath);
        }

        if (options.LogRedaction)
        {
            builder.Logging.AddGorgiasLogRedaction();
        }

        builder.Services.AddGorgiasCore(builder.Configuration, options.Storage ?? StorageFromConfiguration(builder.Configuration));
        builder.Services.AddGorgiasWeb(builder.Configuration);
        if (options.BackgroundMaintenance)
        {
            builder.Services.AddGorgiasBackgroundRefresh(builder.Configuration);
        }

        if (sandbox)
        {
            builder.Services.AddGorgiasSandbox(o =>
            {
                o.ClientId = builder.Configuration["Gorgias:ClientId"] ?? "";
                o.ClientSecret = builder.Configuration["Gorgias:ClientSecret"] ?? "";
            });
        }

        builder.Services.AddSingleton(Options.Create(new MountedSandbox(sandbox ? options.SandboxPath : null)));
        return builder;
    }

    /// <summary>
    /// Maps the install routes, the admin routes protected by <paramref name="adminAccess"/>, <c>/health</c> and, when
    /// <see cref="AddGorgiasIntegration"/> turned it on, the sandbox.
    /// </summary>
    public static GorgiasIntegrationRoutes MapGorgiasIntegration(this WebApplication app, GorgiasAdminAccess adminAccess)
    {
        ArgumentNullException.ThrowIfNull(app);
        var routes = app.MapGorgiasEndpoints(adminAccess);
        if (app.Services.GetRequiredService<IOptions<MountedSandbox>>().Value.Path is { } path)
        {
            app.MapGorgiasSandbox(path);
        }

        return routes;
    }

    /// <summary>
    /// What every host of the integration composes, with or without HTTP (the ASP.NET Core entry point above, the
    /// command-line host): the use cases, the Gorgias clients and the one storage adapter <paramref name="storage"/> names.
    /// </summary>
    internal static IServiceCollection AddGorgiasCore(this IServiceCollection services, IConfiguration configuration, GorgiasStorage storage)
    {
        services
            .AddGorgiasApplication()
            .AddGorgiasInfrastructure(configuration);
        if (storage == GorgiasStorage.PostgreSql)
        {
            services.AddGorgiasPostgreSqlStorage(configuration);
        }
        else
        {
            services.AddGorgiasSqliteStorage(configuration);
        }

        return services;
    }

    /// <summary>The configuration key that chooses the storage when the code does not.</summary>
    internal const string StorageKey = "Integration:Storage";

    /// <summary><c>Integration:Storage</c>, by name only (case-insensitive; a number is refused): absent means SQLite.</summary>
    internal static GorgiasStorage StorageFromConfiguration(IConfiguration configuration)
    {
        var value = configuration[StorageKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return GorgiasStorage.Sqlite;
        }

        foreach (var storage in Enum.GetValues<GorgiasStorage>())
        {
            if (string.Equals(value.Trim(), storage.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return storage;
            }
        }

        throw new InvalidOperationException(
            $"{StorageKey} is '{value}', which is no storage this integration has: set it to {nameof(GorgiasStorage.Sqlite)} " +
            $"(the default, one SQLite file) or {nameof(GorgiasStorage.PostgreSql)} (one PostgreSQL database for many instances).");
    }

    /// <summary>Where <see cref="AddGorgiasIntegration"/> decided to mount the sandbox, if anywhere.</summary>
    internal sealed record MountedSandbox(string? Path);
}

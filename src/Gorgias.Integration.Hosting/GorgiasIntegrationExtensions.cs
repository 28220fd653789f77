using Gorgias.Integration.Application;
using Gorgias.Integration.Infrastructure;
using Gorgias.Integration.Infrastructure.Background;
using Gorgias.Integration.Sandbox;
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
    /// Registers the use cases, SQLite storage (<c>ConnectionStrings:Integration</c>), Data Protection for tokens at rest,
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

        builder.Services
            .AddGorgiasApplication()
            .AddGorgiasInfrastructure(builder.Configuration)
            .AddGorgiasSqliteStorage(builder.Configuration)
            .AddGorgiasWeb(builder.Configuration);
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

    /// <summary>Where <see cref="AddGorgiasIntegration"/> decided to mount the sandbox, if anywhere.</summary>
    internal sealed record MountedSandbox(string? Path);
}

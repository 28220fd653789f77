using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Web;

/// <summary>
/// How the admin routes (<c>/installations…</c>) are protected. A host must choose one when it maps the integration:
/// there is no default, so the routes that revoke and read installations are never anonymous by accident.
/// </summary>
public abstract partial class GorgiasAdminAccess
{
    private GorgiasAdminAccess()
    {
    }

    /// <summary>
    /// <c>Authorization: Bearer &lt;key&gt;</c> with the key from configuration key <c>Integration:AdminApiKey</c>,
    /// compared in constant time (the Host's choice).
    /// </summary>
    public static GorgiasAdminAccess ApiKeyFromConfiguration { get; } = new ConfiguredApiKey();

    /// <summary><c>Authorization: Bearer <paramref name="apiKey"/></c>, compared in constant time.</summary>
    public static GorgiasAdminAccess ApiKey(string apiKey) => new GivenApiKey(new AdminApiKeyFilter(apiKey));

    /// <summary>The host's own authorization policy, e.g. <c>GorgiasAdminAccess.Policy("admins")</c>.</summary>
    public static GorgiasAdminAccess Policy(string policyName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(policyName);
        return new NamedPolicy(policyName);
    }

    /// <summary>
    /// No protection on the admin routes, for a host that protects them outside the app (a private network, a gateway).
    /// A warning is logged at start-up.
    /// </summary>
    public static GorgiasAdminAccess AllowAnonymous { get; } = new Anonymous();

    internal abstract void Apply(RouteGroupBuilder admin, IServiceProvider services);

    private sealed class ConfiguredApiKey : GorgiasAdminAccess
    {
        internal override void Apply(RouteGroupBuilder admin, IServiceProvider services)
        {
            var key = services.GetRequiredService<IConfiguration>()["Integration:AdminApiKey"];
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new InvalidOperationException(
                    "Integration:AdminApiKey is not set: it protects the /installations routes. Set it to a random value, e.g. the output of 'openssl rand -base64 32'.");
            }

            admin.AddEndpointFilter(new AdminApiKeyFilter(key));
        }
    }

    private sealed class GivenApiKey(AdminApiKeyFilter filter) : GorgiasAdminAccess
    {
        internal override void Apply(RouteGroupBuilder admin, IServiceProvider services) => admin.AddEndpointFilter(filter);
    }

    private sealed class NamedPolicy(string policyName) : GorgiasAdminAccess
    {
        internal override void Apply(RouteGroupBuilder admin, IServiceProvider services) => admin.RequireAuthorization(policyName);
    }

    private sealed partial class Anonymous : GorgiasAdminAccess
    {
        internal override void Apply(RouteGroupBuilder admin, IServiceProvider services) =>
            LogAnonymous(services.GetRequiredService<ILoggerFactory>().CreateLogger("Gorgias.Integration.Web"));

        [LoggerMessage(EventId = 2100, Level = LogLevel.Warning, Message = "The Gorgias admin routes (/installations) are mapped without protection (GorgiasAdminAccess.AllowAnonymous): anyone who reaches them can read and uninstall installations")]
        private static partial void LogAnonymous(ILogger logger);
    }
}

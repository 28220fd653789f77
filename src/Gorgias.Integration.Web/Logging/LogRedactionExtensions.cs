using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Web.Logging;

/// <summary>Keeps OAuth secrets out of every log line.</summary>
public static class LogRedactionExtensions
{
    /// <summary>
    /// Replaces the logger factory with one that redacts codes, states, tokens, client secrets and
    /// <c>Authorization</c> values from every message and structured value, whatever the category or level.
    /// Providers added before or after this call are all covered.
    /// </summary>
    public static ILoggingBuilder AddGorgiasLogRedaction(this ILoggingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<ILoggerFactory>(sp => new RedactingLoggerFactory(new LoggerFactory(
            sp.GetServices<ILoggerProvider>(),
            sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(),
            sp.GetService<IExternalScopeProvider>())));
        return builder;
    }
}

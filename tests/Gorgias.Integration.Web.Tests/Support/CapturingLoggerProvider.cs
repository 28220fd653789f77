using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Web.Tests.Support;

/// <summary>Keeps every formatted log line, with its category and structured values, for assertions.</summary>
public sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            lines.Enqueue($"{category} scope: {state}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                lines.Enqueue($"{category} scope values: {string.Join("; ", values.Select(v => $"{v.Key}={v.Value}"))}");
            }

            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                lines.Enqueue($"{category} values: {string.Join("; ", values.Select(v => $"{v.Key}={v.Value}"))}");
            }
        }
    }
}

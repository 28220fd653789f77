using System.Collections;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Web.Logging;

/// <summary>
/// Wraps the app's <see cref="ILoggerFactory"/> so that every logger, the framework's included (ASP.NET Core's
/// request logging prints <c>/oauth/callback?code=…&amp;state=…</c>), passes its message and structured values
/// through <see cref="SecretRedactor"/> before any provider sees them, and its exception's text through
/// <see cref="RedactedException"/>. Log levels stay as configured.
/// </summary>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                return inner.BeginScope(new RedactedValues(values, SecretRedactor.Redact(state.ToString() ?? "")));
            }

            return state is string text ? inner.BeginScope(SecretRedactor.Redact(text)) : inner.BeginScope(state);
        }

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            var message = SecretRedactor.Redact(formatter(state, exception));
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];

            // Providers print exception.ToString() beside the message; an HttpRequestException or a Refit
            // ApiException can carry a callback URL or a token answer in its text.
            inner.Log(logLevel, eventId, new RedactedValues(values, message), RedactedException.For(exception), static (s, _) => s.Message);
        }
    }

    /// <summary>Structured values with every string-like value redacted; <see cref="ToString"/> is the redacted message.</summary>
    private sealed class RedactedValues(IReadOnlyList<KeyValuePair<string, object?>> values, string message)
        : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message => message;

        public int Count => values.Count;

        public KeyValuePair<string, object?> this[int index] => Redact(values[index]);

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < values.Count; i++)
            {
                yield return Redact(values[i]);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;

        private static KeyValuePair<string, object?> Redact(KeyValuePair<string, object?> pair) => pair.Value switch
        {
            null or bool or int or long or double or decimal or DateTime or DateTimeOffset or TimeSpan or Enum => pair,
            string text => new(pair.Key, SecretRedactor.Redact(text)),
            var other when other.ToString() is { } text && SecretRedactor.Redact(text) is var redacted && !ReferenceEquals(redacted, text) =>
                new(pair.Key, redacted),
            _ => pair,
        };
    }
}

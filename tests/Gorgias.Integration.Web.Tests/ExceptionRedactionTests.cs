using Gorgias.Integration.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Web.Tests;

/// <summary>
/// SECURITY.md row 46: console and JSON providers print <c>exception.ToString()</c> beside the message, so the
/// exception's text, its inner exceptions' and its stack go through the same redaction as the message.
/// </summary>
public sealed class ExceptionRedactionTests : IDisposable
{
    private const string Code = "c0de-Zr8Kq2Lm5Xv9";
    private const string RefreshToken = "rt-Wn4Hb7Tc1Pq6Jx3";
    private const string AccessToken = "at-Yd5Fs8Gk2Mv7Qe4";

    private readonly IntegrationHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void Row46_AnExceptionWhoseTextHoldsSecrets_ReachesTheProvidersRedacted()
    {
        var logger = _host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Gorgias.Integration.Tests");
        var exception = Thrown(new HttpRequestException(
            $"POST https://acme.gorgias.com/oauth/token failed: grant_type=refresh_token&refresh_token={RefreshToken}",
            new InvalidOperationException($"callback /oauth/callback?code={Code}&state=x sent Authorization: Bearer {AccessToken}")));

        logger.LogError(exception, "The refresh of {Account} failed", "acme");

        var line = Assert.Single(_host.Logs, l => l.Contains("The refresh of acme failed", StringComparison.Ordinal));
        Assert.Contains("System.Net.Http.HttpRequestException", line, StringComparison.Ordinal); // the exception's text was printed
        Assert.Contains(nameof(Thrown), line, StringComparison.Ordinal); // with its stack
        Assert.Contains("refresh_token=[redacted]", line, StringComparison.Ordinal);
        foreach (var secret in new[] { Code, RefreshToken, AccessToken })
        {
            Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AnExceptionWithoutASecret_ReachesTheProvidersAsItself()
    {
        var provider = new ExceptionRecorder();
        var factory = _host.Services.GetRequiredService<ILoggerFactory>();
        factory.AddProvider(provider);
        var exception = Thrown(new TimeoutException("Gorgias did not answer within 15 s"));

        factory.CreateLogger("Gorgias.Integration.Tests").LogWarning(exception, "Slow Gorgias");

        Assert.Same(exception, Assert.Single(provider.Exceptions));
    }

    private static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }

    private sealed class ExceptionRecorder : ILoggerProvider, ILogger
    {
        public List<Exception> Exceptions { get; } = [];

        // Only the test's own category: the Host may log exceptions of its own meanwhile.
        public ILogger CreateLogger(string categoryName) =>
            categoryName == "Gorgias.Integration.Tests" ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is not null)
            {
                lock (Exceptions)
                {
                    Exceptions.Add(exception);
                }
            }
        }

        public void Dispose()
        {
        }
    }
}

namespace Gorgias.Integration.Web.Logging;

/// <summary>
/// Stands in, for log providers, for an exception whose text holds a secret: console and JSON providers print
/// <see cref="Exception.ToString"/>, which includes the message, the inner exceptions' messages and the stack, so
/// all three are the original's with every secret replaced. The original is kept out of reach on purpose (no
/// <see cref="Exception.InnerException"/>), so no provider can walk back to the unredacted text.
/// </summary>
internal sealed class RedactedException : Exception
{
    private readonly string _text;
    private readonly string? _stackTrace;

    private RedactedException(Exception original, string redactedText)
        : base(SecretRedactor.Redact(original.Message))
    {
        OriginalType = original.GetType().FullName ?? original.GetType().Name;
        _text = redactedText;
        _stackTrace = original.StackTrace is { } stack ? SecretRedactor.Redact(stack) : null;
        HResult = original.HResult;
        Source = original.Source;
    }

    /// <summary>The full name of the original exception's type, e.g. <c>System.Net.Http.HttpRequestException</c>.</summary>
    public string OriginalType { get; }

    public override string? StackTrace => _stackTrace;

    /// <summary>
    /// The exception to hand to providers: <paramref name="exception"/> itself when its text holds no secret
    /// (so providers that look at its type still see it), a <see cref="RedactedException"/> otherwise.
    /// </summary>
    public static Exception? For(Exception? exception)
    {
        if (exception is null or RedactedException)
        {
            return exception;
        }

        var text = exception.ToString();
        var redacted = SecretRedactor.Redact(text);
        return ReferenceEquals(redacted, text) ? exception : new RedactedException(exception, redacted);
    }

    /// <summary>The original's <see cref="Exception.ToString"/> (type, message, inner exceptions, stack), redacted.</summary>
    public override string ToString() => _text;
}

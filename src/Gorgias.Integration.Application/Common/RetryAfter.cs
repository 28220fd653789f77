using System.Globalization;
using System.Net.Http.Headers;

namespace Gorgias.Integration.Application.Common;

/// <summary>
/// A wait a server asked for with <c>Retry-After</c> (RFC 9110 §10.2.3), or one this app asks a client for: never
/// negative, and bounded wherever it is believed. Every parse, clamp and format of the header goes through here, so
/// the rule "Gorgias's word is believed up to <see cref="MaxBelieved"/>" lives in one place.
/// </summary>
internal readonly record struct RetryAfter
{
    /// <summary>The longest wait believed from Gorgias: a larger value is more likely a bug than a plan.</summary>
    public static readonly TimeSpan MaxBelieved = TimeSpan.FromMinutes(5);

    private RetryAfter(TimeSpan delay) => Delay = delay;

    /// <summary>How long to wait; zero or more.</summary>
    public TimeSpan Delay { get; }

    /// <summary>A wait of <paramref name="delay"/>; a negative one (a date in the past) means now.</summary>
    public static RetryAfter From(TimeSpan delay) => new(delay < TimeSpan.Zero ? TimeSpan.Zero : delay);

    /// <summary>The wait a parsed header asks for, seconds or an HTTP date relative to <paramref name="now"/>; null without one.</summary>
    public static RetryAfter? From(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => From(delta),
        { Date: { } date } => From(date - now),
        _ => null,
    };

    /// <summary>
    /// The wait Gorgias asked for in <paramref name="header"/>, believed up to <see cref="MaxBelieved"/>: what every
    /// reader of a Gorgias answer (token endpoint, API client, Refit exceptions, the server budget) passes on.
    /// </summary>
    public static RetryAfter? FromGorgias(RetryConditionHeaderValue? header, DateTimeOffset now) => From(header, now)?.AtMost(MaxBelieved);

    /// <summary>The wait a raw header value asks for (<c>120</c> or <c>Wed, 21 Oct 2026 07:28:00 GMT</c>); null when absent or malformed.</summary>
    public static RetryAfter? Parse(string? value, DateTimeOffset now) =>
        RetryConditionHeaderValue.TryParse(value, out var header) ? From(header, now) : null;

    /// <summary>This wait, raised to <paramref name="min"/> and lowered to <paramref name="max"/>.</summary>
    public RetryAfter Clamp(TimeSpan min, TimeSpan max) => From(Delay < min ? min : Delay > max ? max : Delay);

    /// <summary>This wait, lowered to <paramref name="max"/>.</summary>
    public RetryAfter AtMost(TimeSpan max) => Clamp(TimeSpan.Zero, max);

    /// <summary>The header value: whole seconds, rounded up so a client never comes back early.</summary>
    public string ToHeaderValue() => ((long)Math.Ceiling(Delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>The typed header, whole seconds rounded up as <see cref="ToHeaderValue"/>.</summary>
    public RetryConditionHeaderValue ToHeader() => new(TimeSpan.FromSeconds(Math.Ceiling(Delay.TotalSeconds)));

    /// <summary>The header value, as <see cref="ToHeaderValue"/>.</summary>
    public override string ToString() => ToHeaderValue();
}

namespace Gorgias.Integration.Application.Common.Results;

/// <summary>The kinds of expected failure a use case reports; the Web adapter maps each to one HTTP answer.</summary>
public enum ErrorKind
{
    /// <summary>The input is malformed.</summary>
    Validation,

    /// <summary>No such installation.</summary>
    NotFound,

    /// <summary>The authorization flow is unknown, expired, already used, for another account or from another browser.</summary>
    InvalidState,

    /// <summary>The user declined consent at Gorgias.</summary>
    Declined,

    /// <summary>Gorgias reported an error on the callback, or refused the code or the tokens: the user must install again.</summary>
    AuthorizationFailed,

    /// <summary>The installation needs the user to install again (its refresh token was refused).</summary>
    ReauthorizationRequired,

    /// <summary>Gorgias is unavailable or rate limited; try again later.</summary>
    GorgiasUnavailable,

    /// <summary>Gorgias answered something unusable, or refused the app's credentials: an operator must look.</summary>
    GorgiasError,

    /// <summary>Another writer changed the installation at the same time.</summary>
    Conflict,

    /// <summary>The caller did not prove who it is (e.g. an event delivery without the account's secret).</summary>
    Unauthorized,
}

/// <summary>An expected failure: its kind, a stable machine-readable code and a message safe to show a user.</summary>
/// <param name="Kind">What went wrong, broadly.</param>
/// <param name="Code">A stable code, e.g. <c>state_invalid</c>.</param>
/// <param name="Message">A sentence a user or operator can act on; never contains a secret.</param>
/// <param name="RetryAfter">When trying again makes sense, if known.</param>
public sealed record Error(ErrorKind Kind, string Code, string Message, TimeSpan? RetryAfter = null)
{
    /// <summary>For <see cref="ErrorKind.Validation"/>: the malformed fields (e.g. <c>account</c>, <c>state</c>); otherwise empty.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];
}

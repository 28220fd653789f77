using System.Diagnostics;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Telemetry;

/// <summary>
/// The one <see cref="ActivitySource"/> and the rules every span follows: the account as <c>gorgias.account</c>,
/// failures as status Error with <c>error.type</c> (an error code, never a message that could quote a value).
/// With no listener <see cref="Start"/> returns null and nothing is allocated.
/// </summary>
internal static class GorgiasActivity
{
    public const string ErrorTypeAttribute = "error.type";

    public static readonly ActivitySource Source = new(GorgiasTelemetry.ActivitySourceName,
        typeof(GorgiasActivity).Assembly.GetName().Version?.ToString());

    public static Activity? Start(string name, AccountName? account = null)
    {
        var activity = Source.StartActivity(name, ActivityKind.Internal);
        if (activity is not null && account is not null)
        {
            activity.SetTag(GorgiasTelemetry.AccountAttribute, account.Value);
        }

        return activity;
    }

    public static void SetAccount(this Activity? activity, AccountName account) =>
        activity?.SetTag(GorgiasTelemetry.AccountAttribute, account.Value);

    public static void Fail(this Activity? activity, string errorType)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(ErrorTypeAttribute, errorType);
        activity.SetStatus(ActivityStatusCode.Error, errorType);
    }

    /// <summary>Marks the span failed with the error's code when the result is one.</summary>
    public static Result<T> Finish<T>(this Activity? activity, Result<T> result)
    {
        if (result.Error is { } error)
        {
            activity.Fail(error.Code);
        }

        return result;
    }

    /// <summary>Marks the span failed with the exception's type; for <c>when</c> filters, so it never catches.</summary>
    public static bool Fail(this Activity? activity, Exception exception)
    {
        activity.Fail(exception.GetType().FullName ?? exception.GetType().Name);
        return false;
    }

    /// <summary>The <c>error.type</c> of an authorization server failure: the OAuth-style lower-case name.</summary>
    public static string ErrorType(AuthorizationServerError error) => error switch
    {
        AuthorizationServerError.InvalidGrant => "invalid_grant",
        AuthorizationServerError.InvalidClient => "invalid_client",
        AuthorizationServerError.OAuthError => "oauth_error",
        AuthorizationServerError.RateLimited => "rate_limited",
        AuthorizationServerError.Unavailable => "unavailable",
        AuthorizationServerError.InvalidResponse => "invalid_response",
        _ => "unknown",
    };
}

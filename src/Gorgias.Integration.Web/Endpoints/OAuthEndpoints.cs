using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Installations.BeginInstall;
using Gorgias.Integration.Application.Installations.CompleteAuthorization;
using Gorgias.Integration.Web.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Web.Endpoints;

/// <summary>The browser-facing install routes. Each only translates HTTP to a command and the result back.</summary>
/// <remarks>
/// The response headers and the rate limit are applied inside the handlers rather than as endpoint filters: a filter
/// makes every request build an invocation context, box its arguments and run one more async step per filter, and
/// these two run on every request anyway. Mapping the routes is still what applies them, so no host can leave them out.
/// </remarks>
internal static class OAuthEndpoints
{
    public static RouteGroupBuilder MapOAuthEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/install", Install).WithName("GorgiasInstall");
        group.MapGet("/callback", Callback).WithName("GorgiasCallback");
        return group;
    }

    /// <summary><c>GET /oauth/install?account=acme</c> → 302 to Gorgias's authorize URL.</summary>
    public static async Task<IResult> Install(HttpContext context, ISender sender, IOptions<GorgiasWebOptions> options,
        InstallRateLimiter limiter, CancellationToken cancellationToken)
    {
        NoStoreNoReferrer(context.Response.Headers);
        if (limiter.Refuse(context) is { } limited)
        {
            return limited;
        }

        if (RejectQuery(context, options.Value, out var query) is { } rejected)
        {
            return rejected;
        }

        if (FindRepeated(query, "account") is { } repeated)
        {
            return Pages.ForError(context, RepeatedParameter(repeated), null);
        }

        var browserId = BrowserBinding.GetOrCreate(context, options.Value.BrowserCookieName);
        var result = await sender.Send(new BeginInstallCommand(query["account"], browserId), cancellationToken);
        // The handler builds the URL as one canonical, escaped string and parses it once to check it; AbsoluteUri would
        // build the same ~400-700 characters again (and the Uri's parts info) for the Location header.
        return result.IsSuccess
            ? TypedResults.Redirect(result.Value.AuthorizeUri.OriginalString)
            : Pages.ForError(context, result.Error, null);
    }

    /// <summary><c>GET /oauth/callback?account=acme&amp;code=…&amp;state=…</c> (or <c>error=…</c>) → a page or the configured redirect.</summary>
    public static async Task<IResult> Callback(HttpContext context, ISender sender, IOptions<GorgiasWebOptions> options, CancellationToken cancellationToken)
    {
        NoStoreNoReferrer(context.Response.Headers);
        if (RejectQuery(context, options.Value, out var query) is { } rejected)
        {
            return rejected;
        }

        if (FindRepeated(query, "account", "state", "code", "error") is { } repeated)
        {
            return Pages.ForError(context, RepeatedParameter(repeated), null);
        }

        string? account = query["account"], state = query["state"], code = query["code"], error = query["error"];
        var settings = options.Value;
        var browserId = BrowserBinding.Read(context, settings.BrowserCookieName);
        var result = await sender.Send(new CompleteAuthorizationCommand(account, state, code, error, browserId), cancellationToken);
        if (result.IsSuccess)
        {
            BrowserBinding.MarkCompleted(context, settings.BrowserCookieName, browserId!, result.Value.Account.Value, state!);
            return Completed(settings, result.Value.Account.Value);
        }

        // A reload of the completed callback finds its state used; this browser's marker says it completed it.
        if (result.Error.Kind is ErrorKind.InvalidState && browserId is not null
            && BrowserBinding.HasCompleted(context, settings.BrowserCookieName, browserId, account!, state!))
        {
            return Completed(settings, account!);
        }

        return Pages.ForError(context, result.Error, result.Error.Kind is ErrorKind.InvalidState or ErrorKind.Validation ? null : account);
    }

    private static IResult Completed(GorgiasWebOptions options, string account) =>
        string.IsNullOrEmpty(options.PostInstallRedirect) ? Pages.Connected(account) : TypedResults.Redirect(options.PostInstallRedirect);

    private static IResult? RejectQuery(HttpContext context, GorgiasWebOptions options, out IQueryCollection query)
    {
        query = context.Request.Query;
        return context.Request.QueryString.Value?.Length > options.MaxQueryLength
            ? Pages.ForError(context, new Error(ErrorKind.Validation, "query_too_long", "The request is too long."), null)
            : null;
    }

    // A repeated parameter is rejected, never resolved by picking one (SECURITY.md row 4).
    private static string? FindRepeated(IQueryCollection query, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (query[name].Count > 1)
            {
                return name;
            }
        }

        return null;
    }

    private static Error RepeatedParameter(string name) =>
        new(ErrorKind.Validation, "repeated_parameter", $"The '{name}' parameter must appear at most once.");

    // Callback URLs carry codes and states: never cache the answer, never leak the URL as a Referer (SECURITY.md row 32).
    private static void NoStoreNoReferrer(IHeaderDictionary headers)
    {
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
    }
}

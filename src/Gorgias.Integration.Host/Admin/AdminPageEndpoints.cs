using System.Globalization;
using System.Text.Json;
using Gorgias.Integration.Application.Installations.GetGorgiasAccount;
using Gorgias.Integration.Application.Installations.ListInstallations;
using Gorgias.Integration.Application.Installations.RefreshToken;
using Gorgias.Integration.Application.Installations.Uninstall;
using Gorgias.Integration.Domain.Installations;
using Mediator;
using static Gorgias.Integration.Host.Admin.AdminHtml;

namespace Gorgias.Integration.Host.Admin;

/// <summary>
/// The operator's page at <c>/admin</c>: the installations, page by page, with refresh, the account API and uninstall
/// per row, through the same use cases as the admin API. Reads go through <see cref="ISender"/>, never the storage.
/// Every state change is a POST carrying the session's anti-forgery token and answers with a redirect (POST-redirect-GET).
/// </summary>
internal static partial class AdminPageEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IServiceCollection AddAdminPage(this IServiceCollection services, HostSettings settings) =>
        services.AddSingleton(settings).AddSingleton<AdminSession>().AddSingleton<AdminSignInLimiter>();

    public static void MapAdminPage(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/admin").ExcludeFromDescription();
        admin.MapGet("", List);
        admin.MapGet("/sign-in", (HttpContext context) => Page(context, "Sign in", AdminPages.SignIn(null), session: null));
        admin.MapPost("/sign-in", SignInAsync);
        admin.MapPost("/sign-out", SignOutAsync);
        admin.MapPost("/installations/{account}/refresh", RefreshAsync);
        admin.MapGet("/installations/{account}/uninstall", ConfirmUninstall);
        admin.MapPost("/installations/{account}/uninstall", UninstallAsync);
        admin.MapGet("/installations/{account}/account", AccountApiAsync);
    }

    private static async Task<IResult> List(HttpContext context, AdminSession sessions, ISender sender, TimeProvider time, string? after, string? size)
    {
        if (sessions.Current(context) is not { } session)
        {
            return ToSignIn();
        }

        AccountName? start = null;
        if (after is not null && !AccountName.TryParse(after, out start, out var invalid))
        {
            return Page(context, "Bad request", AdminPages.Problem($"'after' is not an account name: {invalid}"), session, StatusCodes.Status400BadRequest);
        }

        var pageSize = int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var asked)
            ? Math.Clamp(asked, 1, MaxPageSize)
            : DefaultPageSize;

        // One more than shown tells whether a next page exists without counting the table.
        var rows = await sender.Send(new ListInstallationsQuery { After = start, Limit = pageSize + 1 }, context.RequestAborted);
        var shown = rows.Count > pageSize ? rows.Take(pageSize).ToArray() : rows;
        var body = AdminPages.Installations(shown, start, pageSize, rows.Count > pageSize, time.GetUtcNow(), session, sessions.TakeFlash(context));
        return Page(context, "Installations", body, session);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, AdminSession sessions, AdminSignInLimiter limiter, ILoggerFactory loggers)
    {
        var (allowed, retryAfter) = limiter.TryAttempt(context);
        if (!allowed)
        {
            var seconds = (int)Math.Ceiling((retryAfter ?? AdminSignInLimiter.Window).TotalSeconds);
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Page(context, "Sign in", AdminPages.SignIn($"Too many sign-in attempts from this address: try again in {seconds} s."),
                session: null, StatusCodes.Status429TooManyRequests);
        }

        var form = await ReadSmallFormAsync(context);
        if (!sessions.IsAdminKey(form?["key"].ToString()))
        {
            LogSignInRefused(loggers.CreateLogger("Gorgias.Integration.Host.Admin"), context.Connection.RemoteIpAddress?.ToString() ?? "in-process");
            return Page(context, "Sign in", AdminPages.SignIn("That is not the admin key."), session: null, StatusCodes.Status401Unauthorized);
        }

        sessions.SignIn(context);
        return SeeOther(context, "/admin");
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, AdminSession sessions)
    {
        if (await RefusePostAsync(context, sessions) is { } refused)
        {
            return refused;
        }

        AdminSession.SignOut(context);
        return SeeOther(context, "/admin/sign-in");
    }

    private static async Task<IResult> RefreshAsync(string account, HttpContext context, AdminSession sessions, ISender sender)
    {
        if (await RefusePostAsync(context, sessions) is { } refused)
        {
            return refused;
        }

        var result = await sender.Send(new RefreshTokenCommand(account), context.RequestAborted);
        sessions.Flash(context, result.IsSuccess, result.IsSuccess
            ? $"Refreshed {result.Value.Account}: the access token now expires at {result.Value.AccessTokenExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)}."
            : $"Could not refresh {account}: {result.Error!.Message}");
        return SeeOther(context, await BackAsync(context));
    }

    private static IResult ConfirmUninstall(string account, HttpContext context, AdminSession sessions, string? after)
    {
        if (sessions.Current(context) is not { } session)
        {
            return ToSignIn();
        }

        if (!AccountName.TryParse(account, out var name, out var invalid))
        {
            return Page(context, "Bad request", AdminPages.Problem(invalid), session, StatusCodes.Status400BadRequest);
        }

        AccountName.TryParse(after, out var back, out _);
        return Page(context, "Uninstall " + name.Value, AdminPages.ConfirmUninstall(name, back, session), session);
    }

    private static async Task<IResult> UninstallAsync(string account, HttpContext context, AdminSession sessions, ISender sender)
    {
        if (await RefusePostAsync(context, sessions) is { } refused)
        {
            return refused;
        }

        var result = await sender.Send(new UninstallCommand(account), context.RequestAborted);
        sessions.Flash(context, result.IsSuccess, result.IsSuccess
            ? $"Uninstalled {result.Value.Account}" + (result.Value.Revoked ? ": the refresh token is revoked at Gorgias." : ": Gorgias could not be reached, the revocation will be retried.")
            : $"Could not uninstall {account}: {result.Error!.Message}");
        return SeeOther(context, await BackAsync(context));
    }

    private static async Task<IResult> AccountApiAsync(string account, HttpContext context, AdminSession sessions, ISender sender)
    {
        if (sessions.Current(context) is not { } session)
        {
            return ToSignIn();
        }

        if (!AccountName.TryParse(account, out var name, out var invalid))
        {
            return Page(context, "Bad request", AdminPages.Problem(invalid), session, StatusCodes.Status400BadRequest);
        }

        var result = await sender.Send(new GetGorgiasAccountQuery(account), context.RequestAborted);

        return result.IsSuccess
            ? Page(context, "Account API", AdminPages.AccountApi(name, JsonSerializer.Serialize(result.Value, Json), null), session)
            : Page(context, "Account API", AdminPages.AccountApi(name, null, $"{result.Error!.Code}: {result.Error.Message}"), session,
                result.Error.Kind == Application.Common.Results.ErrorKind.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status502BadGateway);
    }

    /// <summary>
    /// A state-changing POST goes on only with a valid session and the session's anti-forgery token in the form; a
    /// browser without a session is sent to sign in, a form without the token (a forged request) gets 400.
    /// </summary>
    private static async Task<IResult?> RefusePostAsync(HttpContext context, AdminSession sessions)
    {
        if (sessions.Current(context) is not { } session)
        {
            return SeeOther(context, "/admin/sign-in");
        }

        var form = await ReadSmallFormAsync(context);
        return AdminSession.IsFormFromThisSession(session, form?["csrf"].ToString())
            ? null
            : Page(context, "Refused", AdminPages.Problem("This form did not come from this session's page (anti-forgery check failed). Reload the page and try again."),
                session, StatusCodes.Status400BadRequest);
    }

    /// <summary>The form of a urlencoded POST of at most 4 KiB (the page's forms are tiny), or null.</summary>
    private static async Task<IFormCollection?> ReadSmallFormAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType || context.Request.ContentLength is null or > 4096)
        {
            return null;
        }

        return await context.Request.ReadFormAsync(context.RequestAborted);
    }

    private static async Task<string> BackAsync(HttpContext context)
    {
        var form = await ReadSmallFormAsync(context);
        return AdminPages.ListUrl(AccountName.TryParse(form?["after"].ToString(), out var after, out _) ? after : null);
    }

    private static IResult ToSignIn() => TypedResults.Redirect("/admin/sign-in");

    private static IResult SeeOther(HttpContext context, string location)
    {
        context.Response.Headers.Location = location;
        return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Admin page sign-in refused: wrong key from {Client}")]
    private static partial void LogSignInRefused(ILogger logger, string client);
}

using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Installations;
using Gorgias.Integration.Application.Installations.GetGorgiasAccount;
using Gorgias.Integration.Application.Installations.GetInstallation;
using Gorgias.Integration.Application.Installations.ListInstallations;
using Gorgias.Integration.Application.Installations.RefreshToken;
using Gorgias.Integration.Application.Installations.Uninstall;
using Gorgias.Integration.Web.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Gorgias.Integration.Web.Endpoints;

/// <summary>The admin routes under <c>/installations</c>. They never return a token.</summary>
internal static class InstallationEndpoints
{
    public static RouteGroupBuilder MapInstallationEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/", List).WithName("GorgiasListInstallations");
        group.MapGet("/{account}", Get).WithName("GorgiasGetInstallation");
        group.MapPost("/{account}/refresh", Refresh).WithName("GorgiasRefreshToken");
        group.MapDelete("/{account}", Uninstall).WithName("GorgiasUninstall");
        group.MapGet("/{account}/gorgias/account", GorgiasAccount).WithName("GorgiasGetAccount");
        return group;
    }

    public static async Task<Ok<IReadOnlyList<InstallationView>>> List(ISender sender, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new ListInstallationsQuery(), cancellationToken));

    public static Task<Results<Ok<InstallationView>, ProblemHttpResult>> Get(
        string account, HttpContext context, ISender sender, CancellationToken cancellationToken) =>
        SendAsync(context, () => sender.Send(new GetInstallationQuery(account), cancellationToken));

    /// <summary><c>POST /installations/{account}/refresh</c>: renews the access token now.</summary>
    public static Task<Results<Ok<RefreshTokenResult>, ProblemHttpResult>> Refresh(
        string account, HttpContext context, ISender sender, CancellationToken cancellationToken) =>
        SendAsync(context, () => sender.Send(new RefreshTokenCommand(account), cancellationToken));

    /// <summary><c>DELETE /installations/{account}</c>: revokes at Gorgias and wipes the tokens.</summary>
    public static Task<Results<Ok<UninstallResult>, ProblemHttpResult>> Uninstall(
        string account, HttpContext context, ISender sender, CancellationToken cancellationToken) =>
        SendAsync(context, () => sender.Send(new UninstallCommand(account), cancellationToken));

    /// <summary><c>GET /installations/{account}/gorgias/account</c>: Gorgias's <c>GET /api/account</c> with the stored token.</summary>
    public static Task<Results<Ok<GorgiasAccount>, ProblemHttpResult>> GorgiasAccount(
        string account, HttpContext context, ISender sender, CancellationToken cancellationToken) =>
        SendAsync(context, () => sender.Send(new GetGorgiasAccountQuery(account), cancellationToken));

    private static async Task<Results<Ok<T>, ProblemHttpResult>> SendAsync<T>(HttpContext context, Func<ValueTask<Result<T>>> send)
    {
        var result = await send();
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ErrorResults.Problem(context, result.Error);
    }
}

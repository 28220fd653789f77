using FluentValidation;
using Gorgias.Integration.Application.Installations;
using Gorgias.Integration.Application.Installations.GetInstallation;
using Gorgias.Integration.Application.Installations.ListInstallations;
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
        return group;
    }

    public static async Task<Ok<IReadOnlyList<InstallationView>>> List(ISender sender, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new ListInstallationsQuery(), cancellationToken));

    public static async Task<Results<Ok<InstallationView>, ProblemHttpResult>> Get(
        string account, HttpContext context, ISender sender, CancellationToken cancellationToken)
    {
        try
        {
            var result = await sender.Send(new GetInstallationQuery(account), cancellationToken);
            return result.IsSuccess ? TypedResults.Ok(result.Value) : ErrorResults.Problem(context, result.Error);
        }
        catch (ValidationException exception)
        {
            return ErrorResults.Problem(context, exception);
        }
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Sandbox;

/// <summary>The API's answers: <c>{"error": …}</c> bodies and JSON documents.</summary>
internal static class SandboxApiResults
{
    internal static string Now(HttpContext context) =>
        SandboxData.Timestamp(context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);

    internal static IResult NotFound() => Error(StatusCodes.Status404NotFound, "Not Found");

    internal static IResult Error(int status, string message) => Json(status, new JsonObject { ["error"] = message });

    internal static IResult Json(int status, JsonNode body) =>
        Results.Text(body.ToJsonString(), "application/json", Encoding.UTF8, status);
}

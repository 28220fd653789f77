using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gorgias.Integration.Application.Tokens;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Gorgias.Api;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace Gorgias.Integration.Cli.Commands;

/// <summary>
/// <c>api &lt;account&gt; get /api/…</c>: one authenticated call through the library's client pipeline, exactly as a host's
/// code makes it; prints the JSON body Gorgias answered.
/// </summary>
internal static class ApiCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create(CommandContext context)
    {
        var account = CommandContext.AccountArgument("The Gorgias account whose token the call carries.");
        var method = new Argument<string>("method") { Description = "The HTTP method; only get (read-only by design)." };
        method.AcceptOnlyFromAmong("get");
        var path = new Argument<string>("path") { Description = "The path and query, e.g. /api/account or '/api/tickets?limit=5'." };
        path.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>() ?? "";
            if (!value.StartsWith("/api/", StringComparison.Ordinal) || value.Contains("..", StringComparison.Ordinal) || value.Contains('#', StringComparison.Ordinal))
            {
                result.AddError($"'{value}' is not a Gorgias API path: give one that starts with /api/, e.g. /api/account or '/api/tickets?limit=5'.");
            }
        });
        var command = new Command("api", "Calls Gorgias's REST API as an installed account (GET only) and prints the JSON body.") { account, method, path };
        command.SetAction((result, cancellationToken) => context.RunAsync(result, async (host, cli, ct) =>
        {
            var target = AccountName.Parse(result.GetValue(account));
            var (relative, query) = Split(result.GetValue(path)!);
            var api = host.Services.GetRequiredService<IGorgiasApiFactory<IGorgiasPathApi>>().For(target);
            string body;
            try
            {
                body = await api.GetAsync(relative, query, ct);
            }
            catch (GorgiasApiException ex)
            {
                return cli.Fail("gorgias_" + ex.Kind.ToString().ToLowerInvariant(),
                    $"Gorgias answered {(int)ex.StatusCode} ({ex.Kind}) to GET {result.GetValue(path)} for {target}" + (ex.GorgiasError is { } said ? $": {said}" : "."));
            }
            catch (GorgiasScopeException ex)
            {
                return cli.Fail("scope_missing", ex.Message);
            }
            catch (GorgiasAccessException ex)
            {
                return cli.Fail("access_unavailable", ex.Message);
            }
            catch (ApiRequestException ex)
            {
                return cli.Fail("gorgias_unreachable", $"No answer from Gorgias for {target}: {ex.InnerException?.Message ?? ex.Message}");
            }

            cli.Line(cli.Json ? body : Pretty(body));
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    /// <summary>The path without its leading slash (Refit's template adds it) and the query as parameters.</summary>
    internal static (string Path, Dictionary<string, string> Query) Split(string pathAndQuery)
    {
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = (question < 0 ? pathAndQuery : pathAndQuery[..question]).TrimStart('/');
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        if (question >= 0)
        {
            foreach (var pair in pathAndQuery[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
                query[name] = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            }
        }

        return (path, query);
    }

    private static string Pretty(string body)
    {
        try
        {
            return JsonNode.Parse(body)?.ToJsonString(Indented) ?? body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}

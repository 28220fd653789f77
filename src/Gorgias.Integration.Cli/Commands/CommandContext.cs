using System.CommandLine;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Domain.Installations;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Cli.Commands;

/// <summary>What every command's action shares: the global options, the output and the composition of the core.</summary>
internal sealed class CommandContext(GlobalOptions global, TextWriter output, TextWriter error)
{
    public GlobalOptions Global => global;

    /// <summary>An account argument, refused at parse time (exit 2) when it is not one DNS label.</summary>
    public static Argument<string> AccountArgument(string description)
    {
        var argument = new Argument<string>("account") { Description = description };
        argument.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!AccountName.TryParse(value, out _, out var problem))
            {
                result.AddError($"'{value}' is not a Gorgias account: {problem}");
            }
        });
        return argument;
    }

    public CliOutput CreateOutput(ParseResult result) =>
        new(output, error, global.Read(result).Json, interactive: !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out));

    /// <summary>
    /// Composes the core, runs <paramref name="body"/> and turns the configuration's and the storage's failures into
    /// one readable line each (exit 1): a key named, never a secret.
    /// </summary>
    public async Task<int> RunAsync(ParseResult result, Func<CliHost, CliOutput, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        var cli = CreateOutput(result);
        await using var host = CliHost.Compose(global.Read(result));
        if (host.Problems.Count > 0)
        {
            return cli.Fail("configuration_invalid", "The configuration is invalid:" + Environment.NewLine
                + string.Join(Environment.NewLine, host.Problems.Select(p => " - " + p)));
        }

        try
        {
            return await body(host, cli, cancellationToken);
        }
        catch (OptionsValidationException ex)
        {
            return cli.Fail("configuration_invalid", "The configuration is invalid:" + Environment.NewLine
                + string.Join(Environment.NewLine, ex.Failures.Select(p => " - " + p)));
        }
        catch (InvalidOperationException ex)
        {
            // The storage adapters' own messages: they name ConnectionStrings:Integration and what to check.
            return cli.Fail("storage_unavailable", ex.Message);
        }
    }

    /// <summary>Sends <paramref name="query"/> through the mediator in a scope of its own, as a request of the Host would be.</summary>
    public static async Task<TResponse> SendAsync<TResponse>(CliHost host, IQuery<TResponse> query, CancellationToken cancellationToken)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(query, cancellationToken);
    }

    /// <summary>Sends <paramref name="command"/> through the mediator in a scope of its own.</summary>
    public static async Task<TResponse> SendAsync<TResponse>(CliHost host, ICommand<TResponse> command, CancellationToken cancellationToken)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command, cancellationToken);
    }

    /// <summary>The exit code and message of a use case's expected failure: malformed input is bad usage, anything else a failure.</summary>
    public static int Fail(CliOutput cli, Error failure) =>
        cli.Fail(failure.Code, failure.Message, failure.Kind == ErrorKind.Validation ? ExitCodes.BadUsage : ExitCodes.Failed);
}

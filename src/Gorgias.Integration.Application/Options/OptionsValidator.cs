using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Application.Options;

/// <summary>
/// The one way this library checks an options class: every bad key is reported, each with its full configuration name
/// and the fix, all at once, when the host starts (registered with <c>ValidateOnStart</c>). A host that checks its
/// configuration before building (as the bundled Host does) calls <see cref="FindProblems"/> on the same validator.
/// </summary>
/// <typeparam name="TOptions">The options class.</typeparam>
public abstract class OptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    /// <summary>Every problem with <paramref name="options"/>, each naming its key and the fix; empty when they are usable.</summary>
    public abstract IReadOnlyList<string> FindProblems(TOptions options);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = FindProblems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

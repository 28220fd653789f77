using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Application.Options;

/// <summary>Registers an options class with its <see cref="OptionsValidator{TOptions}"/>, checked at start-up.</summary>
internal static class OptionsValidation
{
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services)
        where TOptions : class
        where TValidator : OptionsValidator<TOptions>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddOptions<TOptions>().ValidateOnStart();
    }

    /// <summary>For an options class that lists its own problems (those of an adapter still being reshaped).</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, Func<TOptions, IReadOnlyList<string>> findProblems)
        where TOptions : class
    {
        services.AddSingleton<IValidateOptions<TOptions>>(new DelegatingOptionsValidator<TOptions>(findProblems));
        return services.AddOptions<TOptions>().ValidateOnStart();
    }

    private sealed class DelegatingOptionsValidator<TOptions>(Func<TOptions, IReadOnlyList<string>> findProblems) : OptionsValidator<TOptions>
        where TOptions : class
    {
        public override IReadOnlyList<string> FindProblems(TOptions options) => findProblems(options);
    }
}

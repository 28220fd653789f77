using FluentValidation;
using Gorgias.Integration.Application.Common.Validation;

namespace Gorgias.Integration.Application.Installations.Uninstall;

/// <summary>Shape checks for <see cref="UninstallCommand"/>.</summary>
internal sealed class UninstallValidator : AbstractValidator<UninstallCommand>
{
    /// <summary>Defines the rules.</summary>
    public UninstallValidator() => RuleFor(c => c.Account).Custom(AccountRules.MustBeAccountName);
}

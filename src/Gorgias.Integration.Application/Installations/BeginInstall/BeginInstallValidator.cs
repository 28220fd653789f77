using FluentValidation;
using Gorgias.Integration.Application.Common.Validation;

namespace Gorgias.Integration.Application.Installations.BeginInstall;

/// <summary>Shape checks for <see cref="BeginInstallCommand"/>.</summary>
internal sealed class BeginInstallValidator : AbstractValidator<BeginInstallCommand>
{
    /// <summary>Defines the rules.</summary>
    public BeginInstallValidator()
    {
        RuleFor(c => c.Account).Custom(AccountRules.MustBeAccountName);
        RuleFor(c => c.BrowserId).NotEmpty().MaximumLength(256);
    }
}

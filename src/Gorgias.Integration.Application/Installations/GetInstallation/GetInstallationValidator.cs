using FluentValidation;
using Gorgias.Integration.Application.Common.Validation;

namespace Gorgias.Integration.Application.Installations.GetInstallation;

/// <summary>Shape checks for <see cref="GetInstallationQuery"/>.</summary>
internal sealed class GetInstallationValidator : AbstractValidator<GetInstallationQuery>
{
    public GetInstallationValidator() => RuleFor(q => q.Account).Custom(AccountRules.MustBeAccountName);
}

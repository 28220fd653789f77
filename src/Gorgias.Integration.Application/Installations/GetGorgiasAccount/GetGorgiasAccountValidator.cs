using FluentValidation;
using Gorgias.Integration.Application.Common.Validation;

namespace Gorgias.Integration.Application.Installations.GetGorgiasAccount;

/// <summary>Shape checks for <see cref="GetGorgiasAccountQuery"/>.</summary>
internal sealed class GetGorgiasAccountValidator : AbstractValidator<GetGorgiasAccountQuery>
{
    public GetGorgiasAccountValidator() => RuleFor(q => q.Account).Custom(AccountRules.MustBeAccountName);
}

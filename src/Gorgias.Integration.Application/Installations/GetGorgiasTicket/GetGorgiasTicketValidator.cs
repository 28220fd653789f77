using FluentValidation;
using Gorgias.Integration.Application.Common.Validation;

namespace Gorgias.Integration.Application.Installations.GetGorgiasTicket;

/// <summary>Shape checks for <see cref="GetGorgiasTicketQuery"/>.</summary>
internal sealed class GetGorgiasTicketValidator : AbstractValidator<GetGorgiasTicketQuery>
{
    public GetGorgiasTicketValidator()
    {
        RuleFor(q => q.Account).Custom(AccountRules.MustBeAccountName);
        RuleFor(q => q.Id).GreaterThan(0).WithMessage("The ticket id must be a positive number.");
    }
}

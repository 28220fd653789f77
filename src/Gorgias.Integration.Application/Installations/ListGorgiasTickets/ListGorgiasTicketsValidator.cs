using FluentValidation;
using Gorgias.Integration.Application.Common.Validation;

namespace Gorgias.Integration.Application.Installations.ListGorgiasTickets;

/// <summary>Shape checks for <see cref="ListGorgiasTicketsQuery"/>: what is passed on to Gorgias stays small and plain.</summary>
internal sealed partial class ListGorgiasTicketsValidator : AbstractValidator<ListGorgiasTicketsQuery>
{
    public ListGorgiasTicketsValidator()
    {
        RuleFor(q => q.Account).Custom(AccountRules.MustBeAccountName);
        RuleFor(q => q.Limit).InclusiveBetween(1, 100).When(q => q.Limit is not null)
            .WithMessage("limit must be between 1 and 100.");
        RuleFor(q => q.Cursor).MaximumLength(1024).Matches(CursorPattern()).When(q => !string.IsNullOrEmpty(q.Cursor))
            .WithMessage("cursor must be a cursor Gorgias returned.");
        RuleFor(q => q.OrderBy).Matches(OrderByPattern()).When(q => !string.IsNullOrEmpty(q.OrderBy))
            .WithMessage("order_by must look like created_datetime:desc.");
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9_=+/.:-]+$")]
    private static partial System.Text.RegularExpressions.Regex CursorPattern();

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z_]{1,64}(:(asc|desc))?$")]
    private static partial System.Text.RegularExpressions.Regex OrderByPattern();
}

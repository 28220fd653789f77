using FluentValidation;

namespace Gorgias.Integration.Application.Installations.ListInstallations;

/// <summary>Shape checks for <see cref="ListInstallationsQuery"/>: a page is bounded, so one request cannot read every row.</summary>
internal sealed class ListInstallationsValidator : AbstractValidator<ListInstallationsQuery>
{
    public ListInstallationsValidator() =>
        RuleFor(q => q.Limit).InclusiveBetween(1, ListInstallationsQuery.MaxLimit).When(q => q.Limit is not null);
}

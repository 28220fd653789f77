using FluentValidation;
using Gorgias.Integration.Application.Common.Validation;

namespace Gorgias.Integration.Application.Installations.SubscribeEvents;

/// <summary>Shape checks for <see cref="SubscribeEventsCommand"/>.</summary>
internal sealed class SubscribeEventsValidator : AbstractValidator<SubscribeEventsCommand>
{
    /// <summary>Defines the rules.</summary>
    public SubscribeEventsValidator()
    {
        RuleFor(c => c.Account).Custom(AccountRules.MustBeAccountName);
    }
}

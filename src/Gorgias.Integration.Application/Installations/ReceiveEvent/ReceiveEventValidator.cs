using FluentValidation;
using Gorgias.Integration.Application.Common.Validation;

namespace Gorgias.Integration.Application.Installations.ReceiveEvent;

/// <summary>Shape checks for <see cref="ReceiveEventCommand"/>; the secret and the body are checked by the handler.</summary>
internal sealed class ReceiveEventValidator : AbstractValidator<ReceiveEventCommand>
{
    /// <summary>Defines the rules.</summary>
    public ReceiveEventValidator()
    {
        RuleFor(c => c.Account).Custom(AccountRules.MustBeAccountName);
    }
}

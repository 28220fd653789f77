using FluentValidation;
using Gorgias.Integration.Application.Common.Validation;

namespace Gorgias.Integration.Application.Installations.RefreshToken;

/// <summary>Shape checks for <see cref="RefreshTokenCommand"/>.</summary>
internal sealed class RefreshTokenValidator : AbstractValidator<RefreshTokenCommand>
{
    /// <summary>Defines the rules.</summary>
    public RefreshTokenValidator()
    {
        RuleFor(c => c.Account).Custom(AccountRules.MustBeAccountName);
        RuleFor(c => c.IfExpiringWithin).GreaterThanOrEqualTo(TimeSpan.Zero).LessThanOrEqualTo(TimeSpan.FromDays(1))
            .WithMessage("The refresh window must be between 00:00:00 and 1.00:00:00.");
    }
}

using FluentValidation;
using Gorgias.Integration.Application.Common.Validation;
using Gorgias.Integration.Domain.Authorization;

namespace Gorgias.Integration.Application.Installations.CompleteAuthorization;

/// <summary>
/// Shape checks for <see cref="CompleteAuthorizationCommand"/>, before anything touches the database:
/// bounded lengths, and exactly one of <c>code</c> and <c>error</c> (SECURITY.md rows 15 and 36).
/// </summary>
internal sealed class CompleteAuthorizationValidator : AbstractValidator<CompleteAuthorizationCommand>
{
    /// <summary>Defines the rules.</summary>
    public CompleteAuthorizationValidator()
    {
        RuleFor(c => c.Account).Custom(AccountRules.MustBeAccountName);
        RuleFor(c => c.State).NotEmpty().WithMessage("The state is missing.")
            .MaximumLength(AuthorizationRequest.MaxStateLength).WithMessage($"The state is longer than {AuthorizationRequest.MaxStateLength} characters.");
        RuleFor(c => c.Code).MaximumLength(CompleteAuthorizationCommand.MaxCodeLength)
            .WithMessage($"The code is longer than {CompleteAuthorizationCommand.MaxCodeLength} characters.");
        RuleFor(c => c.Error).MaximumLength(128).Matches("^[\\x20-\\x7E]*$").WithMessage("The error code is malformed.");
        RuleFor(c => c).Must(c => string.IsNullOrEmpty(c.Code) != string.IsNullOrEmpty(c.Error))
            .OverridePropertyName("code").WithMessage("The callback must carry exactly one of 'code' and 'error'.");
        RuleFor(c => c.BrowserId).MaximumLength(256);
    }
}

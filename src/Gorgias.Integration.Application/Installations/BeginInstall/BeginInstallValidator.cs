using FluentValidation;
using Gorgias.Integration.Domain.Installations;

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

/// <summary>The account rule shared by every command that takes an account.</summary>
internal static class AccountRules
{
    public static void MustBeAccountName<T>(string? account, ValidationContext<T> context)
    {
        if (!AccountName.TryParse(account, out _, out var error))
        {
            context.AddFailure("account", error);
        }
    }
}

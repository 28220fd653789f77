using System.Diagnostics.CodeAnalysis;
using FluentValidation;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Common.Validation;

/// <summary>
/// The one account rule every use case that takes an account applies: the validator reports it with the other fields,
/// and the handler turns the string into an <see cref="AccountName"/> through the same rule, so a message that reaches
/// a handler without its validator still ends as a validation error, never as a <c>DomainException</c>.
/// </summary>
internal static class AccountRules
{
    /// <summary>The field name a bad account is reported under (the query parameter and the route value).</summary>
    public const string Field = "account";

    public static void MustBeAccountName<T>(string? account, ValidationContext<T> context)
    {
        if (!AccountName.TryParse(account, out _, out var error))
        {
            context.AddFailure(Field, error);
        }
    }

    /// <summary>Parses <paramref name="account"/>, or gives the validation <see cref="Error"/> that names the field.</summary>
    public static bool TryParse(string? account, [NotNullWhen(true)] out AccountName? parsed, [NotNullWhen(false)] out Error? error)
    {
        if (AccountName.TryParse(account, out parsed, out var problem))
        {
            error = null;
            return true;
        }

        error = Errors.Validation([new ValidationFailureField(Field, problem)]);
        return false;
    }
}

using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Common.Results;

/// <summary>Errors more than one use case reports.</summary>
internal static class Errors
{
    public const string InvalidRequestCode = "invalid_request";

    public static Error NotFound(AccountName account) =>
        new(ErrorKind.NotFound, "installation_not_found", $"The app is not installed for account '{account}'.");

    /// <summary>Malformed input: every message once, and the fields they are about, in the order they were found.</summary>
    public static Error Validation(IEnumerable<ValidationFailureField> failures)
    {
        var list = failures as IReadOnlyCollection<ValidationFailureField> ?? failures.ToList();
        return new(ErrorKind.Validation, InvalidRequestCode, string.Join(" ", list.Select(f => f.Message).Distinct(StringComparer.Ordinal)))
        {
            Fields = [.. list.Select(f => f.Field).Distinct(StringComparer.OrdinalIgnoreCase)],
        };
    }
}

/// <summary>One malformed field and what is wrong with it.</summary>
internal readonly record struct ValidationFailureField(string Field, string Message);

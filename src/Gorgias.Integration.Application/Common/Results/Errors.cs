using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Common.Results;

/// <summary>Errors more than one use case reports.</summary>
internal static class Errors
{
    public static Error NotFound(AccountName account) =>
        new(ErrorKind.NotFound, "installation_not_found", $"The app is not installed for account '{account}'.");
}

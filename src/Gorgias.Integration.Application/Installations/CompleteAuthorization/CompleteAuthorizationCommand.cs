using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Domain.Installations;
using Mediator;

namespace Gorgias.Integration.Application.Installations.CompleteAuthorization;

/// <summary>The browser came back from Gorgias's authorize endpoint to the callback.</summary>
/// <param name="Account">The <c>account</c> query parameter: raw input, parsed once here (an invalid one is a validation error naming <c>Account</c>).</param>
/// <param name="State">The <c>state</c> query parameter.</param>
/// <param name="Code">The <c>code</c> query parameter, when consent was given.</param>
/// <param name="Error">The <c>error</c> query parameter, when it was not (e.g. <c>access_denied</c>).</param>
/// <param name="BrowserId">The browser's secret from the cookie set by the install route, or null when absent.</param>
public sealed record CompleteAuthorizationCommand(string? Account, string? State, string? Code, string? Error, string? BrowserId)
    : ICommand<Result<CompleteAuthorizationResult>>
{
    /// <summary>The longest code accepted.</summary>
    public const int MaxCodeLength = 4096;

    /// <summary>Never prints the state, code or browser secret.</summary>
    public override string ToString() => $"CompleteAuthorizationCommand {{ Account = {Account}, Error = {Error} }}";
}

/// <summary>The installation is active.</summary>
/// <param name="Account">The account.</param>
/// <param name="Scopes">The scopes Gorgias granted.</param>
/// <param name="AccessTokenExpiresAt">When the first access token expires (it renews itself).</param>
/// <param name="IsReinstall">True when the account had been installed before.</param>
public sealed record CompleteAuthorizationResult(AccountName Account, IReadOnlyList<string> Scopes, DateTimeOffset AccessTokenExpiresAt, bool IsReinstall);

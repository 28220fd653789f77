using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Domain.Installations;
using Mediator;

namespace Gorgias.Integration.Application.Installations.BeginInstall;

/// <summary>Starts an install: the browser is to be sent to <see cref="BeginInstallResult.AuthorizeUri"/>.</summary>
/// <param name="Account">The <c>account</c> query parameter: raw input, parsed once here (an invalid one is a validation error naming <c>Account</c>).</param>
/// <param name="BrowserId">The browser's secret (from an HttpOnly cookie) the flow is bound to.</param>
public sealed record BeginInstallCommand(string? Account, string BrowserId) : ICommand<Result<BeginInstallResult>>
{
    /// <summary>Never prints the browser secret.</summary>
    public override string ToString() => $"BeginInstallCommand {{ Account = {Account} }}";
}

/// <summary>Where to send the browser.</summary>
/// <param name="Account">The parsed account: pass it straight to the token provider and the API clients.</param>
/// <param name="AuthorizeUri">Gorgias's authorize URL with every parameter.</param>
/// <param name="ExpiresAt">When the flow stops being accepted.</param>
public sealed record BeginInstallResult(AccountName Account, Uri AuthorizeUri, DateTimeOffset ExpiresAt);

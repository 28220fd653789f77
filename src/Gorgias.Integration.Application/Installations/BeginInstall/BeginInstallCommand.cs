using Gorgias.Integration.Application.Common.Results;
using Mediator;

namespace Gorgias.Integration.Application.Installations.BeginInstall;

/// <summary>Starts an install: the browser is to be sent to <see cref="BeginInstallResult.AuthorizeUri"/>.</summary>
/// <param name="Account">The <c>account</c> query parameter, untrusted.</param>
/// <param name="BrowserId">The browser's secret (from an HttpOnly cookie) the flow is bound to.</param>
public sealed record BeginInstallCommand(string? Account, string BrowserId) : ICommand<Result<BeginInstallResult>>
{
    /// <summary>Never prints the browser secret.</summary>
    public override string ToString() => $"BeginInstallCommand {{ Account = {Account} }}";
}

/// <summary>Where to send the browser.</summary>
/// <param name="Account">The validated account.</param>
/// <param name="AuthorizeUri">Gorgias's authorize URL with every parameter.</param>
/// <param name="ExpiresAt">When the flow stops being accepted.</param>
public sealed record BeginInstallResult(string Account, Uri AuthorizeUri, DateTimeOffset ExpiresAt);

using Gorgias.Integration.Application.Common.Results;
using Mediator;

namespace Gorgias.Integration.Application.Installations.Uninstall;

/// <summary>Uninstalls the app from an account: revokes the refresh token at Gorgias and wipes the tokens.</summary>
/// <param name="Account">The account, untrusted.</param>
public sealed record UninstallCommand(string? Account) : ICommand<Result<UninstallResult>>;

/// <summary>The app is uninstalled.</summary>
/// <param name="Account">The account.</param>
/// <param name="Revoked">True when Gorgias confirmed the revocation; false when it is queued for a retry.</param>
public sealed record UninstallResult(string Account, bool Revoked);

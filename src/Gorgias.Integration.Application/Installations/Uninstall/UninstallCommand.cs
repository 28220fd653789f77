using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Domain.Installations;
using Mediator;

namespace Gorgias.Integration.Application.Installations.Uninstall;

/// <summary>Uninstalls the app from an account: revokes the refresh token at Gorgias and wipes the tokens.</summary>
/// <param name="Account">The account: raw input, parsed once here (an invalid one is a validation error naming <c>Account</c>).</param>
public sealed record UninstallCommand(string? Account) : ICommand<Result<UninstallResult>>;

/// <summary>The app is uninstalled.</summary>
/// <param name="Account">The account.</param>
/// <param name="Revoked">True when Gorgias confirmed the revocation; false when it is queued for a retry.</param>
public sealed record UninstallResult(AccountName Account, bool Revoked);

using Gorgias.Integration.Application.Common.Results;
using Mediator;

namespace Gorgias.Integration.Application.Installations.GetInstallation;

/// <summary>One installation's status.</summary>
/// <param name="Account">The account, untrusted.</param>
public sealed record GetInstallationQuery(string? Account) : IQuery<Result<InstallationView>>;

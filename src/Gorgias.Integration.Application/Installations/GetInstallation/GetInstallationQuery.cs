using Gorgias.Integration.Application.Common.Results;
using Mediator;

namespace Gorgias.Integration.Application.Installations.GetInstallation;

/// <summary>One installation's status.</summary>
/// <param name="Account">The account: raw input, parsed once here (an invalid one is a validation error naming <c>Account</c>).</param>
public sealed record GetInstallationQuery(string? Account) : IQuery<Result<InstallationView>>;

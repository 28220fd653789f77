using Mediator;

namespace Gorgias.Integration.Application.Installations.ListInstallations;

/// <summary>Every installation, ordered by account. Token expiry is not included (see <c>GetInstallationQuery</c>).</summary>
public sealed record ListInstallationsQuery : IQuery<IReadOnlyList<InstallationView>>;

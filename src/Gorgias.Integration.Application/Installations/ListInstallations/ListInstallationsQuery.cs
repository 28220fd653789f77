using Gorgias.Integration.Domain.Installations;
using Mediator;

namespace Gorgias.Integration.Application.Installations.ListInstallations;

/// <summary>
/// Installations ordered by account (ordinal), each with its access token's expiry and refresh failure record: every
/// one by default, or one keyset page with <see cref="Limit"/> (ask for one more than you show to know whether a next
/// page exists, and pass the last account shown as <see cref="After"/> to get it).
/// </summary>
public sealed record ListInstallationsQuery : IQuery<IReadOnlyList<InstallationView>>
{
    /// <summary>The largest <see cref="Limit"/>.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Only accounts that sort after this one; null starts at the first.</summary>
    public AccountName? After { get; init; }

    /// <summary>At most this many installations (1 to <see cref="MaxLimit"/>); null lists every one.</summary>
    public int? Limit { get; init; }
}

using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Mediator;

namespace Gorgias.Integration.Application.Installations.GetGorgiasAccount;

/// <summary>
/// Calls Gorgias's <c>GET /api/account</c> for an installed account with its access token: a live check that the
/// installation still works at Gorgias.
/// </summary>
/// <param name="Account">The account: raw input, parsed once here (an invalid one is a validation error naming <c>Account</c>).</param>
public sealed record GetGorgiasAccountQuery(string? Account) : IQuery<Result<GorgiasAccount>>;

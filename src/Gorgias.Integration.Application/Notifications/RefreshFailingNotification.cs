using Gorgias.Integration.Domain.Installations;
using Mediator;

namespace Gorgias.Integration.Application.Notifications;

/// <summary>
/// Gorgias keeps refusing to renew an account's access token for a reason other than a revoked grant (an error page
/// for a deactivated account, <c>invalid_client</c>, another OAuth error): the installation is now
/// <c>RefreshFailing</c>. Its tokens are still used while valid and refreshes are retried, further apart; an operator
/// should look. Published once per run of failures; <see cref="RefreshRecoveredNotification"/> ends it.
/// </summary>
/// <param name="Account">The Gorgias account.</param>
/// <param name="LastError">The last failure's error code (never a token).</param>
/// <param name="ConsecutiveFailures">Failed refreshes in a row.</param>
/// <param name="OccurredAt">When.</param>
public sealed record RefreshFailingNotification(AccountName Account, string LastError, int ConsecutiveFailures, DateTimeOffset OccurredAt) : INotification;

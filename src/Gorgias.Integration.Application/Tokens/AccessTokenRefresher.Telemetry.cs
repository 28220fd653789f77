using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Telemetry;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>The one place a refresh reaches Gorgias, and so the one place it is traced and measured.</summary>
internal sealed partial class AccessTokenRefresher
{
    /// <summary>
    /// The Gorgias call and what follows from its answer, as one <c>gorgias.token.refresh</c> span (the token request's
    /// own span nested in it) and one <c>gorgias.token.refresh.duration</c> measurement. Only a refresh that calls
    /// Gorgias gets here: serving a cached token, re-validating one or using another instance's refresh records nothing.
    /// The caller holds the account's lease.
    /// </summary>
    private async Task<(TokenAcquisition? Outcome, TokenNeed Retry)> RefreshAsync(AccountName account, TokenSet tokens, TokenNeed need,
        AccessStamp stamp, long epoch, bool mayRetry)
    {
        using var activity = GorgiasActivity.Start(GorgiasTelemetry.Spans.TokenRefresh, account);
        var started = _time.GetTimestamp();
        string? errorType = null;
        try
        {
            var response = await _authorizationServer.RefreshAsync(account, tokens.RefreshToken, CancellationToken.None);
            errorType = response.Error is { } error ? GorgiasActivity.ErrorType(error) : null;
            return await SettleAsync(account, tokens, need, stamp, epoch, mayRetry, response);
        }
        catch (Exception ex)
        {
            // Gorgias's refusal stays the cause when storing what followed it failed too.
            errorType ??= ex.GetType().FullName ?? ex.GetType().Name;
            throw;
        }
        finally
        {
            if (errorType is not null)
            {
                activity.Fail(errorType);
            }

            _metrics.RefreshEnded(_time.GetElapsedTime(started), errorType);
        }
    }
}

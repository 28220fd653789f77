namespace Gorgias.Integration.Application.Telemetry;

/// <summary>
/// The names under which the integration reports what it does: one <see cref="System.Diagnostics.ActivitySource"/>
/// and one <see cref="System.Diagnostics.Metrics.Meter"/>, both from the runtime (no OpenTelemetry package in the
/// core). A host that exports telemetry subscribes to them, e.g. with OpenTelemetry's
/// <c>AddSource(GorgiasTelemetry.ActivitySourceName)</c> and <c>AddMeter(GorgiasTelemetry.MeterName)</c>.
/// </summary>
/// <remarks>
/// No span or measurement carries a token, code, state, nonce or secret; spans carry the account
/// (<see cref="AccountAttribute"/>), metrics carry no account at all (one series per account would not scale).
/// </remarks>
public static class GorgiasTelemetry
{
    /// <summary>The name of the integration's activity source: <c>Gorgias.Integration</c>.</summary>
    public const string ActivitySourceName = "Gorgias.Integration";

    /// <summary>The name of the integration's meter: <c>Gorgias.Integration</c>.</summary>
    public const string MeterName = "Gorgias.Integration";

    /// <summary>The span attribute naming the Gorgias account: <c>gorgias.account</c>.</summary>
    public const string AccountAttribute = "gorgias.account";

    /// <summary>The names of the spans.</summary>
    public static class Spans
    {
        /// <summary>An install starts: the authorize URL is built (<c>BeginInstall</c>).</summary>
        public const string InstallBegin = "gorgias.install.begin";

        /// <summary>The callback: the state is consumed, the code exchanged, the installation stored (<c>CompleteAuthorization</c>).</summary>
        public const string InstallComplete = "gorgias.install.complete";

        /// <summary>One request to Gorgias's token endpoint; <c>gorgias.oauth.grant_type</c> says whether it exchanges a code or refreshes.</summary>
        public const string OAuthToken = "gorgias.oauth.token";

        /// <summary>One renewal of an account's access token at Gorgias, from the call to the save; holds one <see cref="OAuthToken"/> span.</summary>
        public const string TokenRefresh = "gorgias.token.refresh";

        /// <summary>One call to Gorgias's REST API, retries and a refresh after a 401 included.</summary>
        public const string ApiCall = "gorgias.api.call";

        /// <summary>One request to Gorgias's revocation endpoint.</summary>
        public const string OAuthRevoke = "gorgias.oauth.revoke";

        /// <summary>An uninstall: stored, then revoked at Gorgias (<c>Uninstall</c>); holds one <see cref="OAuthRevoke"/> span.</summary>
        public const string Uninstall = "gorgias.uninstall";
    }

    /// <summary>The names of the instruments of the <see cref="MeterName"/> meter.</summary>
    public static class Instruments
    {
        /// <summary>Histogram, seconds, tag <c>outcome</c> (<c>success</c>, <c>failure</c>): how long a refresh at Gorgias took.</summary>
        public const string RefreshDuration = "gorgias.token.refresh.duration";

        /// <summary>Counter, tag <c>error.type</c>: refreshes Gorgias did not grant.</summary>
        public const string RefreshFailures = "gorgias.token.refresh.failures";

        /// <summary>Observable gauge, tag <c>status</c>: stored installations by status.</summary>
        public const string Installations = "gorgias.installations";

        /// <summary>Histogram, seconds, tag <c>reason</c>: how long an API request waited for Gorgias's rate limit.</summary>
        public const string RateLimitWait = "gorgias.api.rate_limit.wait";

        /// <summary>Counter, tag <c>reinstall</c>: installs completed.</summary>
        public const string InstallsCompleted = "gorgias.installs.completed";

        /// <summary>Counter, tag <c>error.type</c>: callbacks that did not complete an install.</summary>
        public const string InstallsFailed = "gorgias.installs.failed";

        /// <summary>Counter, tag <c>outcome</c> (<c>revoked</c>, <c>queued</c>): uninstalls, by whether Gorgias confirmed the revocation.</summary>
        public const string Uninstalls = "gorgias.uninstalls";

        /// <summary>
        /// Counter, tag <c>outcome</c> (<c>stored</c>, <c>duplicate</c>, <c>refused</c>, <c>invalid</c>): event deliveries
        /// that reached the receiver, by what became of them.
        /// </summary>
        public const string EventsReceived = "gorgias.events.received";
    }
}

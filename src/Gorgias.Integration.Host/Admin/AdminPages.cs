using System.Globalization;
using System.Text;
using Gorgias.Integration.Application.Installations;
using Gorgias.Integration.Domain.Installations;
using static Gorgias.Integration.Host.Admin.AdminHtml;

namespace Gorgias.Integration.Host.Admin;

/// <summary>The operator's pages' bodies: sign-in, the installations table, the uninstall confirmation, an API answer.</summary>
internal static class AdminPages
{
    public static string SignIn(string? problem) => $"""
        <div class="signin">
        <h2>Sign in</h2>
        <p>Enter the admin key (<code>Integration:AdminApiKey</code>). The session lasts {(int)AdminSession.Lifetime.TotalMinutes} minutes.</p>
        {(problem is null ? "" : $"""<p id="sign-in-problem" class="error">{E(problem)}</p>""")}
        <form id="sign-in-form" method="post" action="/admin/sign-in">
        <label for="key">Admin key</label>
        <input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
        <button id="sign-in" type="submit">Sign in</button>
        </form>
        </div>
        """;

    public static string Installations(
        IReadOnlyList<InstallationView> rows, AccountName? after, int size, bool hasNext, DateTimeOffset now, string session,
        (bool Success, string Message)? flash)
    {
        var html = new StringBuilder();
        if (flash is { } shown)
        {
            html.Append("<p id=\"flash\" class=\"flash ").Append(shown.Success ? "ok" : "failed").Append("\">")
                .Append(E(shown.Message)).Append("</p>");
        }

        html.Append("<p>").Append(rows.Count.ToString(CultureInfo.InvariantCulture)).Append(" installation")
            .Append(rows.Count == 1 ? "" : "s").Append(after is null ? " from the first account" : $" after {E(after.Value)}")
            .Append(", ordered by account. Times are relative to now; hover for the UTC time.</p>");
        html.Append("""
            <table id="installations"><thead><tr><th>Account</th><th>Status</th><th>Granted scopes</th><th>Access token expires</th>
            <th>Last refresh</th><th>Failures</th><th>Last error</th><th>Actions</th></tr></thead><tbody>
            """);
        var back = after is null ? "" : $"""<input type="hidden" name="after" value="{E(after.Value)}">""";
        foreach (var row in rows)
        {
            var account = E(row.Account.Value);
            var status = row.Status.ToString();
            html.Append("<tr id=\"row-").Append(account).Append("\" data-status=\"").Append(status).Append("\">")
                .Append("<td class=\"account\">").Append(account).Append("</td>")
                .Append("<td class=\"status ").Append(status).Append("\">").Append(status).Append("</td>")
                .Append("<td class=\"scopes\">").Append(E(string.Join(' ', row.Scopes))).Append("</td>")
                .Append("<td class=\"expires\">").Append(When(row.AccessTokenExpiresAt, now)).Append("</td>")
                .Append("<td class=\"refreshed\">").Append(When(row.AccessTokenIssuedAt, now)).Append("</td>")
                .Append("<td class=\"failures\">").Append(row.ConsecutiveRefreshFailures.ToString(CultureInfo.InvariantCulture)).Append("</td>")
                .Append("<td class=\"last-error error\">").Append(E(row.LastRefreshError))
                .Append(row.NextRefreshAttemptAt is { } next ? " <small>next try " + When(next, now) + "</small>" : "").Append("</td>")
                .Append("<td class=\"actions\">");
            if (row.Status != InstallationStatus.Uninstalled)
            {
                html.Append("<form method=\"post\" action=\"/admin/installations/").Append(account).Append("/refresh\">").Append(Csrf(session))
                    .Append(back).Append("<button id=\"refresh-").Append(account).Append("\" type=\"submit\">Refresh now</button></form>")
                    .Append("<a class=\"button\" id=\"account-api-").Append(account).Append("\" href=\"/admin/installations/").Append(account)
                    .Append("/account\">Account API</a>")
                    .Append("<a class=\"button\" id=\"uninstall-").Append(account).Append("\" href=\"/admin/installations/").Append(account)
                    .Append("/uninstall").Append(after is null ? "" : "?after=" + Uri.EscapeDataString(after.Value)).Append("\">Uninstall…</a>");
            }

            html.Append("</td></tr>");
        }

        if (rows.Count == 0)
        {
            html.Append("<tr><td colspan=\"8\">No installations here.</td></tr>");
        }

        html.Append("</tbody></table><nav class=\"pages\">");
        if (after is not null)
        {
            html.Append("<a id=\"first-page\" href=\"/admin?size=").Append(size).Append("\">First page</a>");
        }

        if (hasNext)
        {
            html.Append("<a id=\"next-page\" href=\"/admin?after=").Append(Uri.EscapeDataString(rows[^1].Account.Value))
                .Append("&amp;size=").Append(size).Append("\">Next page</a>");
        }

        return html.Append("</nav>").ToString();
    }

    public static string ConfirmUninstall(AccountName account, AccountName? after, string session) => $"""
        <h2>Uninstall {E(account.Value)}?</h2>
        <p>This revokes the app's refresh token at Gorgias and deletes the stored tokens. The account's users must install
        the app again to restore access.</p>
        <form id="confirm-form" method="post" action="/admin/installations/{E(account.Value)}/uninstall">
        {Csrf(session)}{(after is null ? "" : $"""<input type="hidden" name="after" value="{E(after.Value)}">""")}
        <button id="confirm-uninstall" class="danger" type="submit">Uninstall {E(account.Value)}</button>
        <a class="button" id="cancel" href="{E(ListUrl(after))}">Cancel</a>
        </form>
        """;

    public static string AccountApi(AccountName account, string? json, string? problem) => $"""
        <h2>GET /api/account · {E(account.Value)}</h2>
        {(problem is null ? $"""<pre id="api-result">{E(json)}</pre>""" : $"""<p id="api-problem" class="error">{E(problem)}</p>""")}
        <p><a class="button" href="/admin">Back to the installations</a></p>
        """;

    public static string Problem(string message) =>
        $"""<p id="problem" class="error">{E(message)}</p><p><a class="button" href="/admin">Back to the installations</a></p>""";

    public static string ListUrl(AccountName? after) => after is null ? "/admin" : "/admin?after=" + Uri.EscapeDataString(after.Value);
}

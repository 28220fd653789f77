using System.Net;
using System.Text.RegularExpressions;

namespace Gorgias.Integration.Testing;

/// <summary>Reads the sandbox consent page's form the way a browser submits it.</summary>
public static partial class ConsentForm
{
    /// <summary>The form's hidden fields, HTML-decoded, by name.</summary>
    public static Dictionary<string, string> Read(string html) =>
        HiddenInput().Matches(html).ToDictionary(
            m => WebUtility.HtmlDecode(m.Groups["name"].Value),
            m => WebUtility.HtmlDecode(m.Groups["value"].Value));

    /// <summary>The form fields to post for <paramref name="decision"/> ("allow" or "deny") and the absolute action URL.</summary>
    /// <exception cref="InvalidOperationException">The page has no POST form.</exception>
    public static (Uri Action, Dictionary<string, string> Fields) Read(string html, Uri pageUri, string decision)
    {
        var action = FormAction().Match(html);
        if (!action.Success)
        {
            throw new InvalidOperationException("The consent page has no POST form.");
        }

        var fields = Read(html);
        fields["decision"] = decision;
        return (new Uri(pageUri, WebUtility.HtmlDecode(action.Groups["action"].Value)), fields);
    }

    [GeneratedRegex("<form method=\"post\" action=\"(?<action>[^\"]+)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]*)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();
}

using System.Globalization;
using Gorgias.Integration.Application.Common.Security;

namespace Gorgias.Integration.Infrastructure.Events;

/// <summary>
/// How both storage adapters keep a subscription's integration ids (<c>trigger=id,…</c>: triggers are validated event
/// names, which hold neither '=' nor ',') and the hash the receiver checks a delivery's secret against.
/// </summary>
internal static class EventSubscriptionIds
{
    public static string Format(IReadOnlyDictionary<string, long> ids) =>
        string.Join(',', ids.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value.ToString(CultureInfo.InvariantCulture)}"));

    public static IReadOnlyDictionary<string, long> Parse(string stored)
    {
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var pair in stored.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (trigger, id) = (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            ids[trigger] = long.Parse(id, NumberStyles.None, CultureInfo.InvariantCulture);
        }

        return ids;
    }

    public static byte[] HashOf(string secret) => ConstantTime.Sha256(secret);
}

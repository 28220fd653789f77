using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using static Gorgias.Integration.Sandbox.SandboxApiResults;

namespace Gorgias.Integration.Sandbox;

/// <summary>Reading lists as Gorgias does: filters, cursor paging (<c>limit</c> default 30, capped at 100) and <c>order_by</c>.</summary>
internal static class SandboxApiLists
{
    private const int DefaultLimit = 30;
    private const int MaxLimit = 100;

    internal static IEnumerable<JsonObject> Filter(HttpContext context, string resource, IEnumerable<JsonObject> items)
    {
        var query = context.Request.Query;
        return resource switch
        {
            "tickets" when long.TryParse(query["customer_id"], CultureInfo.InvariantCulture, out var customer) =>
                items.Where(t => t["customer"]?["id"]?.GetValue<long>() == customer),
            "customers" when query["email"].ToString() is { Length: > 0 } email =>
                items.Where(c => string.Equals(c["email"]?.GetValue<string>(), email, StringComparison.OrdinalIgnoreCase)),
            "events" when query["object_type"].ToString() is { Length: > 0 } type =>
                items.Where(e => string.Equals(e["object_type"]?.GetValue<string>(), type, StringComparison.Ordinal)),
            _ => items,
        };
    }

    /// <summary>One page: the cursor is the base64url offset into the list in the asked order.</summary>
    internal static IResult List(HttpContext context, IEnumerable<JsonObject> items, string path)
    {
        var query = context.Request.Query;
        var limit = DefaultLimit;
        if (query["limit"].ToString() is { Length: > 0 } limitText)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1)
            {
                return Error(StatusCodes.Status400BadRequest, "limit must be a positive number.");
            }

            limit = Math.Min(limit, MaxLimit);
        }

        var orderBy = query["order_by"].ToString();
        var (field, descending) = orderBy.Split(':') switch
        {
            [""] => ("id", false),
            [var f] => (f, false),
            [var f, "asc"] => (f, false),
            [var f, "desc"] => (f, true),
            _ => ("", false),
        };
        if (field is not ("id" or "created_datetime" or "updated_datetime"))
        {
            return Error(StatusCodes.Status400BadRequest, "order_by must be id, created_datetime or updated_datetime, with :asc or :desc.");
        }

        var offset = 0;
        if (query["cursor"].ToString() is { Length: > 0 } cursor && !TryReadCursor(cursor, out offset))
        {
            return Error(StatusCodes.Status400BadRequest, "Invalid cursor.");
        }

        Func<JsonObject, string> key = field == "id"
            ? item => item["id"]!.GetValue<long>().ToString("D20", CultureInfo.InvariantCulture)
            : item => (item[field]?.GetValue<string>() ?? "") + item["id"]!.GetValue<long>().ToString("D20", CultureInfo.InvariantCulture);
        var ordered = descending ? items.OrderByDescending(key, StringComparer.Ordinal) : items.OrderBy(key, StringComparer.Ordinal);
        var all = ordered.ToList();
        var page = all.Skip(offset).Take(limit).Select(item => item.DeepClone()).ToArray();
        var next = offset + limit < all.Count ? Cursor(offset + limit) : null;
        var previous = offset > 0 ? Cursor(Math.Max(0, offset - limit)) : null;
        return Json(StatusCodes.Status200OK, new JsonObject
        {
            ["data"] = new JsonArray(page),
            ["object"] = "list",
            ["uri"] = path + context.Request.QueryString,
            ["meta"] = new JsonObject { ["prev_cursor"] = previous, ["next_cursor"] = next },
        });
    }

    private static string Cursor(int offset) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes("offset:" + offset.ToString(CultureInfo.InvariantCulture)));

    private static bool TryReadCursor(string cursor, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith("offset:", StringComparison.Ordinal)
                && int.TryParse(text.AsSpan("offset:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Gorgias.Integration.Sandbox;

/// <summary>
/// The sandbox's helpdesk data, in memory, per account: seeded on first use with a few customers, two users, about
/// 250 tickets (one message each) and their <c>ticket-created</c> events; integrations start empty. Each account's data
/// is behind one lock: the sandbox is for trying an app out, not for load.
/// </summary>
internal sealed class SandboxData
{
    /// <summary>Tickets seeded per account.</summary>
    public const int SeededTickets = 250;

    /// <summary>Customers seeded per account.</summary>
    public const int SeededCustomers = 5;

    private static readonly DateTime SeedStart = new(2026, 1, 1, 9, 0, 0, DateTimeKind.Utc);

    private readonly ConcurrentDictionary<string, AccountData> _accounts = new(StringComparer.Ordinal);

    /// <summary>The data of <paramref name="account"/>, seeded the first time it is asked for.</summary>
    public AccountData For(string account) => _accounts.GetOrAdd(account, static a => AccountData.Seed(a));

    /// <summary>A Gorgias timestamp: ISO 8601 in UTC without an offset.</summary>
    public static string Timestamp(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    /// <summary>One account's resources: collection name → id → object.</summary>
    internal sealed class AccountData
    {
        private readonly Dictionary<string, SortedDictionary<long, JsonObject>> _collections = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _nextIds = new(StringComparer.Ordinal);

        public Lock Lock { get; } = new();

        /// <summary>The objects of <paramref name="collection"/> (call under <see cref="Lock"/>).</summary>
        public SortedDictionary<long, JsonObject> this[string collection] =>
            _collections.TryGetValue(collection, out var items) ? items : _collections[collection] = [];

        /// <summary>Stores <paramref name="item"/> under a new id (call under <see cref="Lock"/>).</summary>
        public long Add(string collection, JsonObject item)
        {
            var id = _nextIds[collection] = _nextIds.GetValueOrDefault(collection) + 1;
            item["id"] = id;
            this[collection][id] = item;
            return id;
        }

        public static AccountData Seed(string account)
        {
            var data = new AccountData();
            for (var c = 1; c <= SeededCustomers; c++)
            {
                data.Add("customers", new JsonObject
                {
                    ["email"] = $"customer{c}@{account}.example",
                    ["name"] = $"Customer {c}",
                    ["external_id"] = null,
                    ["created_datetime"] = Timestamp(SeedStart.AddDays(-30 + c)),
                });
            }

            data.Add("users", new JsonObject { ["email"] = $"owner@{account}.example", ["name"] = "Sandbox Owner", ["role"] = new JsonObject { ["name"] = "admin" } });
            data.Add("users", new JsonObject { ["email"] = $"agent@{account}.example", ["name"] = "Sandbox Agent", ["role"] = new JsonObject { ["name"] = "agent" } });

            for (var t = 1; t <= SeededTickets; t++)
            {
                var created = Timestamp(SeedStart.AddHours(t));
                var customer = data["customers"][((t - 1) % SeededCustomers) + 1];
                var id = data.Add("tickets", new JsonObject
                {
                    ["status"] = t % 3 == 0 ? "closed" : "open",
                    ["channel"] = t % 2 == 0 ? "chat" : "email",
                    ["via"] = "email",
                    ["subject"] = $"Sandbox ticket #{t}",
                    ["customer"] = new JsonObject { ["id"] = customer["id"]!.GetValue<long>(), ["email"] = customer["email"]!.GetValue<string>() },
                    ["created_datetime"] = created,
                    ["updated_datetime"] = created,
                    ["uri"] = $"/api/tickets/{t}",
                });
                data.Add("messages", new JsonObject
                {
                    ["ticket_id"] = id,
                    ["channel"] = "email",
                    ["via"] = "email",
                    ["from_agent"] = false,
                    ["body_text"] = $"Hello, this is sandbox ticket #{t}.",
                    ["created_datetime"] = created,
                });
                data.Add("events", new JsonObject
                {
                    ["type"] = "ticket-created",
                    ["object_type"] = "Ticket",
                    ["object_id"] = id,
                    ["data"] = new JsonObject(),
                    ["created_datetime"] = created,
                });
            }

            return data;
        }
    }
}

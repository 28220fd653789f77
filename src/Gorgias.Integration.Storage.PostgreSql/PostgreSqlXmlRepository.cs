using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>
/// The Data Protection key ring in the integration's database, so that every instance sharing the database decrypts
/// every token with no shared file system. Keys are written once and never changed (Data Protection revokes a key by
/// writing a new element), so a conflict on the name means another instance stored the same element first.
/// </summary>
internal sealed class PostgreSqlXmlRepository(PostgreSqlDatabase database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        // IXmlRepository is synchronous; Data Protection calls it rarely (at start-up and when the key ring is refreshed),
        // possibly before the migration's hosted service ran, so the table is made sure of here too.
        database.EnsureMigratedAsync(CancellationToken.None).GetAwaiter().GetResult();
        using var connection = database.DataSource.OpenConnection();
        return connection.Query<string>(database.Sql("SELECT xml FROM {schema}.data_protection_keys ORDER BY created_at, friendly_name;"))
            .Select(XElement.Parse)
            .ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        database.EnsureMigratedAsync(CancellationToken.None).GetAwaiter().GetResult();
        using var connection = database.DataSource.OpenConnection();
        connection.Execute(
            database.Sql("""
                INSERT INTO {schema}.data_protection_keys (friendly_name, xml) VALUES (@FriendlyName, @Xml)
                ON CONFLICT (friendly_name) DO NOTHING;
                """),
            new { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}

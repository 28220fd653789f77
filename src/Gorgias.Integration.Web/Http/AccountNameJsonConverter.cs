using System.Text.Json;
using System.Text.Json.Serialization;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Web.Http;

/// <summary>
/// Writes an <see cref="AccountName"/> as its label, so the routes' JSON keeps <c>"account": "acme"</c> now that the
/// results carry the parsed type. The Domain stays free of serialisation concerns, hence a converter here.
/// </summary>
internal sealed class AccountNameJsonConverter : JsonConverter<AccountName>
{
    public override AccountName Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Reading goes through the one parser, so a bad label is a JSON error that says what is wrong.
        if (AccountName.TryParse(reader.GetString(), out var account, out var error))
        {
            return account;
        }

        throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, AccountName value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}

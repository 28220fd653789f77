using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>
/// The channel the instances of one database announce token changes on: one channel for the server, the schema in the
/// payload (a channel name is limited to 63 bytes, a schema name may use all of them), and an id per instance so an
/// instance ignores its own announcements (its cache is already current). Payload: <c>schema:instance:account</c>.
/// </summary>
internal sealed class PostgreSqlChangeChannel(PostgreSqlDatabase database)
{
    public const string Name = "gorgias_token_changes";

    public string Schema { get; } = database.Schema;

    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    public string Payload(AccountName account) => $"{Schema}:{InstanceId}:{account.Value}";

    /// <summary>The account another instance of this schema announced, or null (another schema, this instance, malformed).</summary>
    public AccountName? Parse(string payload)
    {
        var parts = payload.Split(':');
        return parts.Length == 3 && parts[0] == Schema && parts[1] != InstanceId && AccountName.TryParse(parts[2], out var account, out _)
            ? account
            : null;
    }
}

/// <summary>
/// <see cref="ITokenChangeSignal"/> with <c>pg_notify</c>, sent after the change was committed; delivered to every
/// instance listening at that moment. A failure is logged, never thrown: the change is stored, and the others' periodic
/// re-validation still sees it.
/// </summary>
internal sealed partial class PostgreSqlTokenChangeSignal(PostgreSqlDatabase database, PostgreSqlChangeChannel channel,
    ILogger<PostgreSqlTokenChangeSignal> logger) : ITokenChangeSignal
{
    public async ValueTask PublishAsync(AccountName account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        try
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_notify(@Channel, @Payload);",
                new { Channel = PostgreSqlChangeChannel.Name, Payload = channel.Payload(account) }, cancellationToken: cancellationToken));
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            LogNotifyFailed(logger, account.Value, e);
        }
    }

    [LoggerMessage(EventId = 1700, Level = LogLevel.Warning, Message = "Could not announce the change of account {Account} to the other instances; they see it at their next re-validation")]
    private static partial void LogNotifyFailed(ILogger logger, string account, Exception exception);
}

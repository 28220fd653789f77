using Gorgias.Integration.Application.Abstractions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>
/// <c>LISTEN</c>s on <see cref="PostgreSqlChangeChannel"/> on a connection of its own and hands each other instance's
/// announcement to <see cref="ITokenChangeSink"/>. When the connection drops it reconnects on its own, waiting 100 ms,
/// then twice as long each time, at most 30 s; once listening again it drops every cached token, since announcements
/// sent meanwhile are lost (the periodic re-validation covers the time in between).
/// </summary>
internal sealed partial class PostgreSqlChangeListener(PostgreSqlDatabase database, PostgreSqlChangeChannel channel, IEnumerable<ITokenChangeSink> sinks,
    TimeProvider time, ILogger<PostgreSqlChangeListener> logger) : BackgroundService
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private int _processId;

    /// <summary>The server process of the listening connection, 0 while not listening (for tests and diagnostics).</summary>
    public int ProcessId => Volatile.Read(ref _processId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = FirstDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                Volatile.Write(ref _processId, 0);
                LogDisconnected(logger, delay, e);
                await Task.Delay(delay, time, stoppingToken).ContinueWith(static _ => { }, TaskScheduler.Default);
                delay = delay * 2 < MaxDelay ? delay * 2 : MaxDelay;
                continue;
            }

            delay = FirstDelay;
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(stoppingToken);
        connection.Notification += (_, e) =>
        {
            if (e.Channel == PostgreSqlChangeChannel.Name && channel.Parse(e.Payload) is { } account)
            {
                foreach (var sink in sinks)
                {
                    sink.AccountChanged(account);
                }
            }
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgreSqlChangeChannel.Name};", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        // Whatever was announced while this instance was not listening is lost: read every cached account again.
        Volatile.Write(ref _processId, connection.ProcessID);
        foreach (var sink in sinks)
        {
            sink.SignalsMayHaveBeenMissed();
        }
        LogListening(logger, connection.ProcessID);
        while (true)
        {
            await connection.WaitAsync(stoppingToken);
        }
    }

    [LoggerMessage(EventId = 1701, Level = LogLevel.Information, Message = "Listening for other instances' token changes (server process {ProcessId})")]
    private static partial void LogListening(ILogger logger, int processId);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Warning, Message = "The connection listening for other instances' token changes dropped; reconnecting in {Delay}")]
    private static partial void LogDisconnected(ILogger logger, TimeSpan delay, Exception exception);
}

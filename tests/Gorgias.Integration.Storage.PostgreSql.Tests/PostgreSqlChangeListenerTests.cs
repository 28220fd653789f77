using System.Threading.Channels;
using Dapper;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Gorgias.Integration.Storage.PostgreSql.Tests;

/// <summary>Change announcements between instances with NOTIFY/LISTEN on the real server.</summary>
public sealed class PostgreSqlChangeListenerTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task AnnouncedChange_ReachesTheOtherInstancesSink_NotTheAnnouncersOwn()
    {
        await using var first = database.Open("changes");
        await using var second = database.Open("changes");
        var (signal, firstSink, firstListener) = Instance(first);
        var (_, secondSink, secondListener) = Instance(second);
        await firstListener.StartAsync(default);
        await secondListener.StartAsync(default);
        await firstSink.Connected.Reader.ReadAsync();
        await secondSink.Connected.Reader.ReadAsync();

        await signal.PublishAsync(AccountName.Parse("acme"), default);

        Assert.Equal("acme", (await secondSink.Changed.Reader.ReadAsync()).Value);
        await firstListener.StopAsync(default);
        await secondListener.StopAsync(default);
        Assert.False(firstSink.Changed.Reader.TryRead(out _));
    }

    [Fact]
    public async Task ListenerWhoseConnectionIsKilled_Reconnects_DropsEveryCachedToken_AndStillReceivesAnnouncements()
    {
        await using var announcer = database.Open("reconnect");
        await using var listening = database.Open("reconnect");
        var (signal, _, _) = Instance(announcer);
        var (_, sink, listener) = Instance(listening);
        await listener.StartAsync(default);
        await sink.Connected.Reader.ReadAsync();
        var killed = listener.ProcessId;

        await using (var admin = new NpgsqlConnection(database.ConnectionString))
        {
            await admin.OpenAsync();
            Assert.True(await admin.ExecuteScalarAsync<bool>("SELECT pg_terminate_backend(@Pid);", new { Pid = killed }));
        }

        await sink.Connected.Reader.ReadAsync();
        Assert.NotEqual(killed, listener.ProcessId);
        await signal.PublishAsync(AccountName.Parse("acme"), default);

        Assert.Equal("acme", (await sink.Changed.Reader.ReadAsync()).Value);
        await listener.StopAsync(default);
    }

    [Fact]
    public async Task AnnouncementOfAnotherSchema_IsIgnored()
    {
        await using var other = database.Open("other_schema");
        await using var mine = database.Open("my_schema");
        var (signal, _, _) = Instance(other);
        var (mySignal, sink, listener) = Instance(mine);
        await listener.StartAsync(default);
        await sink.Connected.Reader.ReadAsync();

        await signal.PublishAsync(AccountName.Parse("acme"), default);

        // Announcements arrive in order: one of this schema from another instance after it proves the first was dropped.
        var (peer, _, _) = Instance(mine);
        await peer.PublishAsync(AccountName.Parse("globex"), default);
        Assert.Equal("globex", (await sink.Changed.Reader.ReadAsync()).Value);
        _ = mySignal;
        await listener.StopAsync(default);
    }

    private static (PostgreSqlTokenChangeSignal Signal, RecordingSink Sink, PostgreSqlChangeListener Listener) Instance(PostgreSqlDatabase db)
    {
        var channel = new PostgreSqlChangeChannel(db);
        var sink = new RecordingSink();
        return (new PostgreSqlTokenChangeSignal(db, channel, NullLogger<PostgreSqlTokenChangeSignal>.Instance), sink,
            new PostgreSqlChangeListener(db, channel, [sink], TimeProvider.System, NullLogger<PostgreSqlChangeListener>.Instance));
    }

    private sealed class RecordingSink : ITokenChangeSink
    {
        public Channel<AccountName> Changed { get; } = Channel.CreateUnbounded<AccountName>();

        /// <summary>One item per (re)connection: the listener drops every cached token once it listens again.</summary>
        public Channel<bool> Connected { get; } = Channel.CreateUnbounded<bool>();

        public void AccountChanged(AccountName account) => Changed.Writer.TryWrite(account);

        public void SignalsMayHaveBeenMissed() => Connected.Writer.TryWrite(true);
    }
}

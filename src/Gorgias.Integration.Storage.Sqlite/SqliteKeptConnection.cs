using System.Data;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>
/// A connection the database keeps open between uses (its writer, or an idle reader), lent to one caller at a time by
/// <see cref="SqliteDatabase.OpenForWriteAsync"/> or <see cref="SqliteDatabase.OpenAsync"/>: disposing it gives it back; only the database closes it.
/// </summary>
internal sealed class SqliteKeptConnection : SqliteConnection
{
    private readonly Action<SqliteKeptConnection> _giveBack;
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private int _lent;
    private bool _closing;

    public SqliteKeptConnection(string connectionString, Action<SqliteKeptConnection> giveBack)
        : base(connectionString) => _giveBack = giveBack;

    /// <summary>
    /// The command for <paramref name="sql"/> on this connection, compiled on its first use and kept with it, with
    /// <paramref name="transaction"/> set and every parameter's value cleared: give each one its value with
    /// <see cref="SqliteValues.Bind"/> (one left unset fails the statement, never binds the last use's value). Do not
    /// dispose it.
    /// </summary>
    public SqliteCommand Statement(string sql, SqliteTransaction? transaction = null)
    {
        if (Volatile.Read(ref _lent) == 0)
        {
            throw new InvalidOperationException("A kept connection's statements are used only while it is lent.");
        }

        if (!_statements.TryGetValue(sql, out var command))
        {
            command = CreateCommand();
            command.CommandText = sql;
            _statements.Add(sql, command);
        }

        foreach (SqliteParameter parameter in command.Parameters)
        {
            parameter.Value = null;
        }

        command.Transaction = transaction;
        return command;
    }

    internal void Lend() => Volatile.Write(ref _lent, 1);

    /// <summary>
    /// Closes it for good, with its statements. A transaction left open is rolled back first: closing a pooled
    /// connection hands its native handle to the next open as it is, transaction included.
    /// </summary>
    internal void CloseForGood()
    {
        _closing = true;
        if (State == ConnectionState.Open && raw.sqlite3_get_autocommit(Handle) == 0)
        {
            RollBack();
        }

        foreach (var command in _statements.Values)
        {
            command.Dispose();
        }

        _statements.Clear();
        Dispose();
    }

    private void RollBack()
    {
        try
        {
            using var rollback = CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // SQLite already rolled it back (an I/O error, say), or cannot: no pooled connection may take it over.
            SqliteConnection.ClearPool(this);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closing)
        {
            // A caller's "await using" gives it back, open. A second dispose of the same loan does nothing.
            if (Interlocked.Exchange(ref _lent, 0) == 1)
            {
                _giveBack(this);
            }

            return;
        }

        base.Dispose(disposing);
    }
}

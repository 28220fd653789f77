namespace Gorgias.Integration.Storage.Sqlite;

/// <summary>Version 4 of the schema: the event inbox and the accounts' event subscriptions.</summary>
internal static class SqliteEventMigration
{
    public static SqliteMigration V4 { get; } = new(4, "event inbox and event subscriptions", """
        -- Every delivery an account's HTTP integrations made, stored before it is answered. The delivery key is unique per
        -- account, so a retried or replayed delivery lands once. AUTOINCREMENT: ids never repeat, so they order arrivals.
        CREATE TABLE event_inbox (
            id              INTEGER PRIMARY KEY AUTOINCREMENT,
            account         TEXT    NOT NULL,
            event_name      TEXT    NOT NULL,
            delivery_key    TEXT    NOT NULL,
            ticket_id       INTEGER NULL,
            message_id      INTEGER NULL,
            occurred_at     INTEGER NULL,
            received_at     INTEGER NOT NULL,
            payload         TEXT    NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            handled_at      INTEGER NULL,
            parked_at       INTEGER NULL,
            last_error      TEXT    NULL,
            UNIQUE (account, delivery_key)
        ) STRICT;

        -- The claim's two questions, on pending rows only: each account's oldest event (MIN(id) per account, read off
        -- the index), and which of those are due.
        CREATE INDEX ix_event_inbox_pending ON event_inbox (account, id) WHERE handled_at IS NULL AND parked_at IS NULL;
        CREATE INDEX ix_event_inbox_due ON event_inbox (next_attempt_at) WHERE handled_at IS NULL AND parked_at IS NULL;
        -- The purge of handled events past their retention.
        CREATE INDEX ix_event_inbox_handled ON event_inbox (handled_at) WHERE handled_at IS NOT NULL;

        -- One row per subscribed account: the secret encrypted (to put it in the integrations' headers again) and its
        -- SHA-256 (the receiver's check, no decryption), the integrations' ids as 'trigger=id,…', and the last attempt.
        CREATE TABLE event_subscriptions (
            account         TEXT    NOT NULL PRIMARY KEY,
            secret          BLOB    NOT NULL,
            secret_hash     BLOB    NOT NULL CHECK (length(secret_hash) = 32),
            integration_ids TEXT    NOT NULL,
            status          INTEGER NOT NULL,
            last_error      TEXT    NULL,
            failures        INTEGER NOT NULL,
            next_check_at   INTEGER NOT NULL,
            updated_at      INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;

        CREATE INDEX ix_event_subscriptions_next_check_at ON event_subscriptions (next_check_at);
        """);
}

namespace Gorgias.Integration.Storage.PostgreSql;

/// <summary>Version 4 of the schema: the event inbox and the accounts' event subscriptions.</summary>
internal static class PostgreSqlEventMigration
{
    public static (int Version, string Description, string Sql) V4 { get; } = (4, "event inbox and event subscriptions", """
        -- Every delivery an account's HTTP integrations made, stored before it is answered. The delivery key is unique per
        -- account, so a retried or replayed delivery lands once; the identity orders arrivals.
        CREATE TABLE {schema}.event_inbox (
            id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            account         text        NOT NULL,
            event_name      text        NOT NULL,
            delivery_key    text        NOT NULL,
            ticket_id       bigint      NULL,
            message_id      bigint      NULL,
            occurred_at     timestamptz NULL,
            received_at     timestamptz NOT NULL,
            payload         text        NOT NULL,
            attempts        integer     NOT NULL DEFAULT 0,
            next_attempt_at timestamptz NOT NULL,
            handled_at      timestamptz NULL,
            parked_at       timestamptz NULL,
            last_error      text        NULL,
            CONSTRAINT uq_event_inbox_delivery UNIQUE (account, delivery_key)
        );

        -- The claim on pending rows only: which are due, and whether an older pending one of the same account exists.
        CREATE INDEX ix_event_inbox_due ON {schema}.event_inbox (next_attempt_at) WHERE handled_at IS NULL AND parked_at IS NULL;
        CREATE INDEX ix_event_inbox_pending ON {schema}.event_inbox (account, id) WHERE handled_at IS NULL AND parked_at IS NULL;
        -- The purge of handled events past their retention.
        CREATE INDEX ix_event_inbox_handled ON {schema}.event_inbox (handled_at) WHERE handled_at IS NOT NULL;

        -- One row per subscribed account: the secret encrypted and its SHA-256 (the receiver's check, no decryption),
        -- the integrations' ids as 'trigger=id,…', and the last attempt.
        CREATE TABLE {schema}.event_subscriptions (
            account         text        NOT NULL PRIMARY KEY,
            secret          bytea       NOT NULL,
            secret_hash     bytea       NOT NULL CHECK (octet_length(secret_hash) = 32),
            integration_ids text        NOT NULL,
            status          smallint    NOT NULL,
            last_error      text        NULL,
            failures        integer     NOT NULL,
            next_check_at   timestamptz NOT NULL,
            updated_at      timestamptz NOT NULL
        );

        CREATE INDEX ix_event_subscriptions_next_check_at ON {schema}.event_subscriptions (next_check_at);
        """);
}

-- The transactional outbox (SPEC §7): an event is written here in the same transaction as its
-- effect, and a relay publishes it to Kafka and marks it published. Relays on several silos
-- claim rows with FOR UPDATE SKIP LOCKED; the partial index keeps the pending scan small.
CREATE TABLE IF NOT EXISTS event_outbox
(
    event_id      uuid         NOT NULL PRIMARY KEY,
    topic         varchar(255) NOT NULL,
    partition_key varchar(255) NOT NULL,
    event_type    varchar(128) NOT NULL,
    envelope      jsonb        NOT NULL,
    created_at    timestamptz  NOT NULL DEFAULT now(),
    attempts      integer      NOT NULL DEFAULT 0,
    last_error    text,
    published_at  timestamptz
);
CREATE INDEX IF NOT EXISTS event_outbox_pending ON event_outbox (created_at) WHERE published_at IS NULL;

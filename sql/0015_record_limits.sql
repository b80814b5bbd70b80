-- Record limits (SPEC §4, "Record limits"): what a caller may attach to a record, and no event that
-- is retried for ever.

-- content_type may be 1,024 characters, as file_path may (a wider varchar is not a table rewrite).
ALTER TABLE metadata_stamps ALTER COLUMN content_type TYPE varchar(1024);

-- Events the broker refuses for themselves (too large, malformed): each such refusal is counted
-- apart from failures that are not the event's fault (a broker away), and after
-- KAFKA_PERMANENT_FAILURE_ATTEMPTS of them the relay writes the event to its topic's dead-letter
-- topic and lets it leave the outbox: published_at is set (so it leaves the relay's index and is
-- deleted after OUTBOX_RETENTION_HOURS like any other row) and dead_lettered_at says where it went.
ALTER TABLE event_outbox ADD COLUMN IF NOT EXISTS refusals integer NOT NULL DEFAULT 0;
ALTER TABLE event_outbox ADD COLUMN IF NOT EXISTS dead_lettered_at timestamptz;
CREATE INDEX IF NOT EXISTS event_outbox_dead_lettered ON event_outbox (dead_lettered_at) WHERE dead_lettered_at IS NOT NULL;

-- The outbox relay (SPEC §7): relays claim events in the order they were written, publish each
-- message exactly as it was written, and an event a broker refused waits before it is tried again.

-- json (not jsonb) keeps the envelope's text as written: key order, spelling of numbers.
ALTER TABLE event_outbox ALTER COLUMN envelope TYPE json USING envelope::json;

-- Write order, for the relay to follow.
ALTER TABLE event_outbox ADD COLUMN IF NOT EXISTS position bigint GENERATED ALWAYS AS IDENTITY;

-- When the event is due: null, now; after a claim, when the claim's lease ends; after a refusal, when its back-off ends.
ALTER TABLE event_outbox ADD COLUMN IF NOT EXISTS next_attempt_at timestamptz;

DROP INDEX IF EXISTS event_outbox_pending;
CREATE INDEX IF NOT EXISTS event_outbox_relay ON event_outbox (position) WHERE published_at IS NULL;
CREATE INDEX IF NOT EXISTS event_outbox_published ON event_outbox (published_at) WHERE published_at IS NOT NULL;

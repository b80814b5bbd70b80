-- Published events leave event_outbox at once (docs/protocol.md, "Events"): deleting a row costs
-- PostgreSQL a third of marking it published, which wrote a new version of the whole row, envelope
-- included, and an entry in two of its indexes. What kept a published row was also what made
-- writing an event twice harmless (a workflow's journal writes all of its moves each time, a call
-- may be retried): that is this table's job now. Every event's id is recorded here first, and only
-- an id new here gets an outbox row; a relay records the ids it publishes too (a row written before
-- this script, or by a silo of the version before, has none); ids are kept OUTBOX_RETENTION_HOURS.
CREATE TABLE IF NOT EXISTS event_outbox_written
(
    event_id   uuid        NOT NULL PRIMARY KEY,
    written_at timestamptz NOT NULL DEFAULT now()
);

-- For the expiry. Rows arrive in time order, so inserts go to the index's last page; a block range
-- index would be cheaper still but loses its order once vacuum lets new rows into freed pages.
CREATE INDEX IF NOT EXISTS event_outbox_written_at ON event_outbox_written (written_at);

-- Events already in the outbox get their ids when a relay publishes them; until then their rows
-- refuse a second write themselves (ON CONFLICT on event_outbox's key).

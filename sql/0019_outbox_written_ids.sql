-- Published events leave event_outbox at once (docs/protocol.md, "Events"): deleting a row costs
-- PostgreSQL a third of marking it published, which wrote a new version of the whole row, envelope
-- included, and an entry in two of its indexes. What kept a published row was also what made
-- writing an event twice harmless (a workflow's journal writes all of its moves each time, a call
-- may be retried): that is this table's job now. Every event's id is recorded here first, and only
-- an id new here gets an outbox row; ids are kept OUTBOX_RETENTION_HOURS.
CREATE TABLE IF NOT EXISTS event_outbox_written
(
    event_id   uuid        NOT NULL PRIMARY KEY,
    written_at timestamptz NOT NULL DEFAULT now()
);

-- Rows arrive in time order, so a block range index finds the expired ones at almost no upkeep.
CREATE INDEX IF NOT EXISTS event_outbox_written_at ON event_outbox_written USING brin (written_at);

-- Events already in the outbox need no id here: their rows refuse a second write themselves
-- (ON CONFLICT on event_outbox's key) for as long as they are kept.

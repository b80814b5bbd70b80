-- The bridge nodes (SPEC §5): what the namespace reducers count, and how they count each stamp once.

-- How long stamping took, and the workflow that stamped it: what the aggregates report.
ALTER TABLE metadata_stamps ADD COLUMN IF NOT EXISTS processing_time_ms double precision NOT NULL DEFAULT 0;
ALTER TABLE metadata_stamps ADD COLUMN IF NOT EXISTS workflow_id uuid;

-- Stamps a reducer has still to fold: a row is added with each new stamp (in the same statement)
-- and deleted by the fold that counts it, in the transaction that saves the aggregates. A side
-- table, so metadata_stamps rows are written once and never rewritten to mark them.
CREATE TABLE IF NOT EXISTS reducer_backlog
(
    namespace varchar(255) NOT NULL,
    stamp_id  uuid         NOT NULL PRIMARY KEY
);
CREATE INDEX IF NOT EXISTS reducer_backlog_namespace ON reducer_backlog (namespace);

-- Stamps stored before this script have never been folded.
INSERT INTO reducer_backlog (namespace, stamp_id)
SELECT namespace, stamp_id FROM metadata_stamps
ON CONFLICT DO NOTHING;

-- Workflows a namespace has seen, so each is counted once without the aggregates listing them all.
CREATE TABLE IF NOT EXISTS bridge_workflows
(
    namespace   varchar(255) NOT NULL,
    workflow_id uuid         NOT NULL,
    PRIMARY KEY (namespace, workflow_id)
);

-- Two activations of one reducer must not both save: each save names the version it read.
ALTER TABLE bridge_states ADD COLUMN IF NOT EXISTS version bigint NOT NULL DEFAULT 0;

-- Records gain their SHA-256 and their place in the namespace's transparency log (docs/transparency.md, "Records").

-- Null only for rows stored before this script: the service never stored content, so there is
-- nothing to compute it from (docs/transparency.md, "Records stored before the log").
ALTER TABLE metadata_stamps ADD COLUMN IF NOT EXISTS sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$');

-- Null until the log takes the record in, then fixed; one leaf per index per namespace.
ALTER TABLE metadata_stamps ADD COLUMN IF NOT EXISTS log_index bigint CHECK (log_index >= 0);
CREATE UNIQUE INDEX IF NOT EXISTS metadata_stamps_log_index ON metadata_stamps (namespace, log_index) WHERE log_index IS NOT NULL;

-- The log's backlog: records without a leaf, oldest first. Small, since integration keeps up.
CREATE INDEX IF NOT EXISTS metadata_stamps_log_backlog ON metadata_stamps (namespace, created_at, stamp_id) WHERE log_index IS NULL;

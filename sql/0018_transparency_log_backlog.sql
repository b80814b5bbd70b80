-- The log's backlog as a table of its own (docs/transparency.md, "Integration"): records wait here
-- for their leaf instead of being found by a null metadata_stamps.log_index. Integrating a record
-- then deletes one narrow row instead of writing a new version of the whole record (its 1 KiB
-- stamp included) and an entry in each of metadata_stamps' indexes; a record's leaf index is read
-- from transparency_log_leaves, which has held it since migration 0013.

-- What a leaf says, so that integration reads nothing else; ordered as the log takes records in.
CREATE TABLE IF NOT EXISTS transparency_log_backlog
(
    namespace  varchar(255) NOT NULL,
    created_at timestamptz  NOT NULL,
    stamp_id   uuid         NOT NULL,
    file_hash  text         NOT NULL,
    sha256     text,
    file_size  bigint       NOT NULL,
    PRIMARY KEY (namespace, created_at, stamp_id)
);

-- Every record inserted joins the backlog in its own statement, whichever silo (of this version or
-- the one before) wrote it: one INSERT per statement, from the rows it inserted.
CREATE OR REPLACE FUNCTION transparency_log_backlog_enqueue() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
    INSERT INTO transparency_log_backlog (namespace, created_at, stamp_id, file_hash, sha256, file_size)
    SELECT namespace, created_at, stamp_id, file_hash, sha256, file_size FROM inserted_records WHERE log_index IS NULL;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER metadata_stamps_log_backlog
    AFTER INSERT ON metadata_stamps
    REFERENCING NEW TABLE AS inserted_records
    FOR EACH STATEMENT EXECUTE FUNCTION transparency_log_backlog_enqueue();

-- The records waiting now (creating the trigger waited for inserts under way; later ones fire it).
INSERT INTO transparency_log_backlog (namespace, created_at, stamp_id, file_hash, sha256, file_size)
SELECT namespace, created_at, stamp_id, file_hash, sha256, file_size FROM metadata_stamps WHERE log_index IS NULL
ON CONFLICT DO NOTHING;

-- log_index is no longer written: the old backlog index would gain an entry for every new record.
-- The column keeps the indices of records integrated before this script (the same as their leaves').
DROP INDEX IF EXISTS metadata_stamps_log_backlog;

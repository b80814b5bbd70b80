-- One append-only Merkle log per namespace (docs/transparency.md, "Storage").

-- The log's size; its row is locked by the one transaction that appends, so appends never interleave.
CREATE TABLE IF NOT EXISTS transparency_logs
(
    namespace varchar(255) NOT NULL PRIMARY KEY,
    tree_size bigint       NOT NULL DEFAULT 0 CHECK (tree_size >= 0)
);

-- Leaves as the bytes that were hashed, by index.
CREATE TABLE IF NOT EXISTS transparency_log_leaves
(
    namespace  varchar(255) NOT NULL,
    leaf_index bigint       NOT NULL CHECK (leaf_index >= 0),
    stamp_id   uuid         NOT NULL UNIQUE,
    leaf       bytea        NOT NULL,
    PRIMARY KEY (namespace, leaf_index)
);

-- The hash of every perfect subtree: level 0 the leaf hashes, level l the subtree of 2^l leaves
-- starting at leaf node_index * 2^l. Any proof reads O(log n) of them.
CREATE TABLE IF NOT EXISTS transparency_log_nodes
(
    namespace  varchar(255) NOT NULL,
    level      smallint     NOT NULL CHECK (level BETWEEN 0 AND 62),
    node_index bigint       NOT NULL CHECK (node_index >= 0),
    hash       bytea        NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (namespace, level, node_index)
);

-- Every checkpoint signed, by size; the latest is the largest.
CREATE TABLE IF NOT EXISTS transparency_log_checkpoints
(
    namespace varchar(255) NOT NULL,
    tree_size bigint       NOT NULL CHECK (tree_size >= 0),
    note      text         NOT NULL,
    signed_at timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (namespace, tree_size)
);

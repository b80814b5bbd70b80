-- The log's hashes in tiles instead of one row per hash (docs/transparency.md, "Storage"): a proof
-- reads a few rows, most of them shared by every proof and kept in the silo's memory.

-- Tile (tile_level L, tile_index t): the hashes of the tree's nodes at level 7L, indices 128t to
-- 128t + 127, as many as exist, concatenated (32 bytes each). A tile only grows at its end, up to
-- 128 hashes (4 KiB, kept in the row's page: no compression, no out-of-line storage).
CREATE TABLE IF NOT EXISTS transparency_log_tiles
(
    namespace  varchar(255) NOT NULL,
    tile_level smallint     NOT NULL CHECK (tile_level BETWEEN 0 AND 8),
    tile_index bigint       NOT NULL CHECK (tile_index >= 0),
    hashes     bytea        NOT NULL CHECK (length(hashes) BETWEEN 32 AND 4096 AND length(hashes) % 32 = 0),
    PRIMARY KEY (namespace, tile_level, tile_index)
);
ALTER TABLE transparency_log_tiles ALTER COLUMN hashes SET STORAGE PLAIN;

-- The hashes stored so far, one row per node, become tiles: the nodes at every seventh level.
DO $$
BEGIN
    IF to_regclass('transparency_log_nodes') IS NOT NULL THEN
        INSERT INTO transparency_log_tiles (namespace, tile_level, tile_index, hashes)
        SELECT namespace, level / 7, node_index / 128, string_agg(hash, ''::bytea ORDER BY node_index)
        FROM transparency_log_nodes
        WHERE level % 7 = 0
        GROUP BY namespace, level / 7, node_index / 128
        ON CONFLICT DO NOTHING;
        DROP TABLE transparency_log_nodes;
    END IF;
END
$$;

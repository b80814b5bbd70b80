-- Each namespace reducer's aggregates (SPEC §5.2), flushed at least once a second while they
-- change, with how far into its event stream the reducer had read.
CREATE TABLE IF NOT EXISTS bridge_states
(
    namespace      varchar(255) NOT NULL PRIMARY KEY,
    aggregates     jsonb        NOT NULL,
    total_stamps   bigint       NOT NULL DEFAULT 0,
    stream_position text,
    updated_at     timestamptz  NOT NULL DEFAULT now()
);

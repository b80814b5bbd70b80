-- Stamp records (SPEC §3.4): one per (namespace, file_hash), whatever the stamp's form.
CREATE TABLE IF NOT EXISTS metadata_stamps
(
    stamp_id          uuid         NOT NULL PRIMARY KEY,
    file_hash         text         NOT NULL CHECK (file_hash ~ '^[0-9a-f]{64}$'),
    namespace         varchar(255) NOT NULL,
    file_path         text,
    file_size         bigint       NOT NULL CHECK (file_size >= 0),
    content_type      varchar(255) NOT NULL,
    stamp_type        varchar(16)  NOT NULL CHECK (stamp_type IN ('lightweight', 'rich', 'detached')),
    stamp             text         NOT NULL,
    op_id             uuid         NOT NULL,
    version           integer      NOT NULL DEFAULT 1,
    metadata_version  varchar(16)  NOT NULL DEFAULT '0.1',
    protocol_version  varchar(16)  NOT NULL DEFAULT '1.0',
    intelligence_data jsonb        NOT NULL DEFAULT '{}'::jsonb,
    metadata          jsonb        NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT metadata_stamps_namespace_file_hash UNIQUE (namespace, file_hash)
);

-- Namespace listings are newest first, keyset-paginated on (created_at, stamp_id).
CREATE INDEX IF NOT EXISTS metadata_stamps_listing ON metadata_stamps (namespace, created_at DESC, stamp_id DESC);

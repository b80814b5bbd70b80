-- Each namespace reducer's aggregates (SPEC §5.2), saved at least once a second while they
-- change, in the same transaction that marks the stamps they fold (metadata_stamps.reduced_at).
-- version guards against two activations of one reducer both saving.
CREATE TABLE IF NOT EXISTS bridge_states
(
    namespace    varchar(255) NOT NULL PRIMARY KEY,
    aggregates   jsonb        NOT NULL,
    total_stamps bigint       NOT NULL DEFAULT 0,
    version      bigint       NOT NULL DEFAULT 0,
    updated_at   timestamptz  NOT NULL DEFAULT now()
);

-- Stamping workflows (SPEC §5.1), written as they move so operators can query them with SQL.
-- The workflow grain's own state lives in grain storage; these rows are its public record.
CREATE TABLE IF NOT EXISTS workflow_executions
(
    workflow_id   uuid         NOT NULL PRIMARY KEY,
    namespace     varchar(255) NOT NULL,
    state         varchar(16)  NOT NULL CHECK (state IN ('pending', 'processing', 'completed', 'failed')),
    item_count    integer      NOT NULL CHECK (item_count >= 0),
    error_code    varchar(64),
    error_message text,
    created_at    timestamptz  NOT NULL DEFAULT now(),
    updated_at    timestamptz  NOT NULL DEFAULT now(),
    completed_at  timestamptz
);
CREATE INDEX IF NOT EXISTS workflow_executions_namespace ON workflow_executions (namespace, created_at DESC);
CREATE INDEX IF NOT EXISTS workflow_executions_open ON workflow_executions (state) WHERE state IN ('pending', 'processing');

CREATE TABLE IF NOT EXISTS workflow_steps
(
    workflow_id uuid        NOT NULL REFERENCES workflow_executions (workflow_id) ON DELETE CASCADE,
    step_name   varchar(32) NOT NULL,
    status      varchar(16) NOT NULL,
    attempts    integer     NOT NULL DEFAULT 0,
    started_at  timestamptz,
    duration_ms double precision,
    error       text,
    PRIMARY KEY (workflow_id, step_name)
);

CREATE TABLE IF NOT EXISTS fsm_transitions
(
    transition_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workflow_id   uuid        NOT NULL REFERENCES workflow_executions (workflow_id) ON DELETE CASCADE,
    from_state    varchar(16) NOT NULL,
    to_state      varchar(16) NOT NULL,
    at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workflow_id, from_state, to_state)
);

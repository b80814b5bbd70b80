-- Signal logs of coordinated generation runs (docs/runs.md, "Signals"): per run, signals in seq order from 1,
-- written by the run's coordinator grain only, read back from any sequence number. A coordinator resumed on another
-- silo may hand over signals it already wrote: the primary key makes that a no-op.
CREATE TABLE IF NOT EXISTS codegen_run_signals
(
    run_id      uuid        NOT NULL,
    seq         bigint      NOT NULL CHECK (seq >= 1),
    signal_id   uuid        NOT NULL,
    signal_type varchar(32) NOT NULL CHECK (signal_type IN ('agent_initialized', 'agent_completed', 'dependency_resolved',
                                                            'inter_agent_message', 'stage_completed', 'error_recovery_completed')),
    sender      text        NOT NULL,
    recipients  text[]      NOT NULL DEFAULT '{}',
    at          timestamptz NOT NULL,
    data        jsonb       NOT NULL,
    PRIMARY KEY (run_id, seq)
);

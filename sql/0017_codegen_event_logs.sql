-- The codegen event protocol's log (docs/codegen-events.md, "event_logs"): every codegen event the service sent or received
-- (requests consumed, responses and status events produced, dead letters written), for the tracer's endpoints. The
-- original's columns, plus where the message sits on its topic and why it failed. Event ids are stable, so a
-- redelivered request or a re-sent event meets itself here: the primary key makes the second write a no-op.
CREATE TABLE IF NOT EXISTS event_logs
(
    seq                bigint GENERATED ALWAYS AS IDENTITY,
    event_id           uuid        NOT NULL PRIMARY KEY,
    session_id         uuid,
    correlation_id     text,
    event_type         varchar(16) NOT NULL CHECK (event_type IN ('request', 'response', 'status', 'error')),
    topic              text        NOT NULL,
    kafka_partition    integer,
    kafka_offset       bigint,
    "timestamp"        timestamptz NOT NULL,
    status             varchar(16) NOT NULL CHECK (status IN ('sent', 'received', 'failed', 'processing', 'completed')),
    processing_time_ms double precision CHECK (processing_time_ms >= 0),
    payload            jsonb       NOT NULL,
    error              text,
    metadata           jsonb       NOT NULL DEFAULT '{}'
);

CREATE INDEX IF NOT EXISTS event_logs_session ON event_logs (session_id, "timestamp", seq) WHERE session_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS event_logs_correlation ON event_logs (correlation_id, "timestamp", seq) WHERE correlation_id IS NOT NULL;

-- Tracing (SPEC §10): the trace context of the request that wrote an event (W3C traceparent), so
-- that its publication to Kafka joins the request's trace.
ALTER TABLE event_outbox ADD COLUMN IF NOT EXISTS trace_parent text;

namespace OmniBridge.Grains.Codegen.Patterns;

/// <summary>One event envelope per completed or failed operation, handed to a sink (by default a bounded in-memory outbox).</summary>
public sealed class EventPublishingPattern : ProductionPattern
{
    public override string Name => "event_publishing";
    public override string Category => "event_publishing";
    public override string Description => "Event publishing: one envelope (event_id, event_type, source, correlation_id, occurred_at, payload) per completed or failed operation, handed to a sink you set (a Kafka producer, say) or kept in a bounded outbox to drain; a failing sink is counted, never raised.";
    public override IReadOnlyList<string> NodeTypes => ["effect", "reducer", "orchestrator"];
    public override IReadOnlyList<string> Tags => ["event", "events", "publish", "publishing", "kafka", "outbox", "notification", "emit", "messaging", "audit"];
    public override IReadOnlyList<string> Aliases => ["event_publisher", "events_publishing"];
    public override PatternHooks Hooks => PatternHooks.Init | PatternHooks.After | PatternHooks.Health;
    public override IReadOnlyList<string> ImportLines => ["import uuid", "from collections import deque", "from datetime import datetime, timezone"];

    public override string Generate(NodePlan plan) => """"
        class EventPublisher:
            """Builds event envelopes and hands them to ``sink``, or keeps them in a bounded outbox."""

            def __init__(self, source: str, capacity: int) -> None:
                self.source = source
                self.outbox: deque[dict[str, Any]] = deque(maxlen=max(1, capacity))
                self.sink: Callable[[dict[str, Any]], None] | None = None
                self.published = 0
                self.failed = 0

            def envelope(self, event_type: str, payload: dict[str, Any], correlation_id: str | None) -> dict[str, Any]:
                """A new event with its own id and time."""
                return {
                    "event_id": str(uuid.uuid4()),
                    "event_type": event_type,
                    "source": self.source,
                    "correlation_id": correlation_id,
                    "occurred_at": datetime.now(timezone.utc).isoformat(),
                    "schema_version": "1.0",
                    "payload": payload,
                }

            def publish(self, event_type: str, payload: dict[str, Any], correlation_id: str | None = None) -> dict[str, Any]:
                """Hand one event over; a failing sink is logged and counted."""
                event = self.envelope(event_type, payload, correlation_id)
                try:
                    if self.sink is None:
                        self.outbox.append(event)
                    else:
                        self.sink(event)
                    self.published += 1
                except Exception:  # publishing must never fail the operation that succeeded
                    self.failed += 1
                    logger.exception("publishing %s failed", event_type)
                return event

            def drain(self) -> list[dict[str, Any]]:
                """Take every event of the outbox, oldest first."""
                events = list(self.outbox)
                self.outbox.clear()
                return events


        class PatternEventPublishing:
            """Event publishing pattern: <node>.<operation>.completed or .failed after each known operation."""

            def _pattern_init_event_publishing(self, config: dict[str, Any]) -> None:
                self.event_publisher = EventPublisher(f"{NODE_NAME}/{NODE_TYPE}", int(config.get("event_outbox_size", 1000)))

            def set_event_sink(self, sink: Callable[[dict[str, Any]], None]) -> None:
                """Send events to ``sink`` (e.g. a Kafka producer's produce) instead of the outbox."""
                self.event_publisher.sink = sink

            def drain_events(self) -> list[dict[str, Any]]:
                """Take the events kept in the outbox."""
                return self.event_publisher.drain()

            def _pattern_after_event_publishing(self, response: Any) -> None:
                if response.operation not in OPERATIONS:
                    return
                outcome = "completed" if response.success else "failed"
                payload = {"operation": response.operation, "duration_ms": response.duration_ms}
                if response.success:
                    payload["result"] = dict(response.result)
                else:
                    payload["error"] = response.error
                self.event_publisher.publish(f"{NODE_NAME}.{response.operation}.{outcome}", payload, response.correlation_id)

            async def _pattern_health_event_publishing(self) -> dict[str, Any]:
                publisher = self.event_publisher
                full = publisher.sink is None and len(publisher.outbox) >= (publisher.outbox.maxlen or 0)
                return {"ok": not full, "published": publisher.published, "failed": publisher.failed, "pending": len(publisher.outbox)}
        """";
}
